"""The archive browser and its JSON API (`newsarchive serve`)."""

from worker.web.app import create_app, serve

__all__ = ["create_app", "serve"]
