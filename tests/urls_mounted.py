"""The whole site mounted under /site/: for tests of address caching (test_models.py)."""

from django.urls import include, path

urlpatterns = [path("site/", include("newsroom.urls"))]
