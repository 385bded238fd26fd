from worker.cli import main

if __name__ == "__main__":  # not when a spawned examining process imports this module as __mp_main__
    raise SystemExit(main())
