"""`manage.py backup [folder]`: database, media and photo originals in one checked folder."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库、公开媒体文件和图片原件（见 README.md “备份”）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "destination", nargs="?", default=str(settings.BASE_DIR / "backups"),
            help="备份目录（默认：项目下的 backups/）",
        )

    def handle(self, destination, **options):
        try:
            folder = create_backup(destination)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder}"))
        self.stdout.write(str(folder))
