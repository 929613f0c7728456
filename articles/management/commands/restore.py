"""`manage.py restore <backup folder> --yes`: replace the database and media with a backup."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "用备份替换当前的数据库、公开媒体文件和图片原件（先停止网站）。"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="manage.py backup 生成的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认替换现有数据")

    def handle(self, folder, yes, **options):
        try:
            manifest = read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error))
        total = sum(manifest["tables"].values())
        self.stdout.write(f"备份时间 {manifest['created_at']}，{manifest['engine']}，共 {total} 行。")
        if not yes:
            raise CommandError("恢复会替换现有的全部数据。确认无误后加上 --yes 再运行。")
        try:
            restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS("恢复完成，行数与备份一致。"))
