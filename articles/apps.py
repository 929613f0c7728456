from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        from . import photos  # connects the photo-file cleanup

        photos.configure_pillow()
