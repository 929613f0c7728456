"""Where photo originals live: outside MEDIA_ROOT, with no URL, never served."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class OriginalsStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (env PHOTO_ORIGINALS_ROOT).

    The location is read from settings on every use, so tests and deployments
    can move it without a migration; `url()` refuses, because nothing here may
    ever be linked from a page.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("图片原件不对外提供网址。")


originals_storage = OriginalsStorage()
