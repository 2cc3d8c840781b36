"""The web app: ``cunzhao serve`` — pages, JSON API and downloads over one archive."""

from cunzhao.web.app import create_app

__all__ = ["create_app"]
