"""manage.py rebuild_photos: make public copies and renditions for photos that lack them."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.photos import rebuild_photo


class Command(BaseCommand):
    help = (
        "为没有尺寸版本的图片（例如图片库建立之前上传的）重新生成公开图片和各尺寸版本；"
        "原来直接公开的文件转为原件私存。--all 则全部重做。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="重做所有图片，而不只是缺少版本的。")

    def handle(self, *args, all=False, **options):
        photos = Photo.objects.order_by("pk")
        if not all:
            photos = photos.filter(renditions={})
        done = 0
        for photo in photos.iterator():
            try:
                rebuild_photo(photo)
            except (ValidationError, OSError) as error:
                message = "；".join(getattr(error, "messages", [str(error)]))
                self.stderr.write(f"图片 {photo.pk} 未能重做：{message}")
            else:
                done += 1
        self.stdout.write(self.style.SUCCESS(f"已重做 {done} 张图片。"))
