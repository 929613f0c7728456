from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        # Any saved change to public content invalidates the public page cache.
        from . import photos  # connects the photo-file cleanup
        from .cache import connect_signals
        from .revisions import register_models

        connect_signals()
        photos.configure_pillow()
        # Every save of a story keeps a version (articles/revisions.py).
        register_models()
