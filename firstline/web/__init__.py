"""The analyst's web interface: FastAPI, server-rendered pages, and a JSON API."""

from firstline.web.app import create_app

__all__ = ["create_app"]
