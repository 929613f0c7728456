from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        from .api import tombstones
        from .photos import processing
        from .public import cache
        from .search import index as search_index
        from .services import epaper, revisions

        # Any saved change to public content invalidates the public page cache.
        cache.connect_signals()
        # A deleted Photo row takes its files along.
        processing.connect_signals()
        processing.configure_pillow()
        # A deleted e-paper page takes its PDF, image and renditions along.
        epaper.connect_signals()
        # Every save of a story keeps a version.
        revisions.register_models()
        # A story that leaves the public site is remembered for the API's syncing apps.
        tombstones.connect_signals()
        # A story's union bodies and byline are in its search terms.
        search_index.connect_signals()
        post_migrate.connect(index_missing_stories, sender=self, dispatch_uid="articles_index_missing")


def index_missing_stories(using="default", **kwargs):
    """After `migrate`: index stories that predate the search index, with today's code.

    Migrations never import application code (it changes after they are
    written); this runs once every migration has, against the final schema.
    """
    from .search import index_missing

    index_missing()
