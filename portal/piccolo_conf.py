"""Piccolo's configuration module (``PICCOLO_CONF=portal.piccolo_conf``)."""

from piccolo.conf.apps import AppRegistry

from portal.db import make_engine
from portal.settings import get_settings

DB = make_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["portal.piccolo_app"])
