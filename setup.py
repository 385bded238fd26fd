"""What pyproject.toml cannot say: the top-level migrations/ folder (Alembic's environment and versions)
ships inside the package as worker.migrations, so an installed newsarchive (a wheel, pip install ., pipx)
migrates from any folder; worker/store/migrate.py finds it there, or in the source tree."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["worker*"]) + ["worker.migrations", "worker.migrations.versions"],
    package_dir={"worker.migrations": "migrations", "worker.migrations.versions": "migrations/versions"},
    package_data={"worker.migrations": ["script.py.mako"], "worker.web": ["templates/*.html", "static/*"]},
)
