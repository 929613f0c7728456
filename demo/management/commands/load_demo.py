"""manage.py load_demo: fill an empty newsroom with demo content and accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.demo import load_demo


class Command(BaseCommand):
    help = "载入演示数据：工会组织、记者、约 40 篇稿件、图片、机审词表和六个演示账号（记者、编辑、初审、复审、终审、管理员；可重复运行）。"

    def handle(self, *args, **options):
        summary = load_demo(out=self.stdout.write)
        created = "，".join(f"{what} {n}" for what, n in summary.created.items() if n)
        self.stdout.write(self.style.SUCCESS(f"完成。新建：{created or '无（演示数据已存在）'}"))
        if summary.accounts:
            self.stdout.write("")
            self.stdout.write(self.style.WARNING("演示账号（密码只显示这一次，请记下）："))
            for username, display, password in summary.accounts:
                self.stdout.write(f"  {display:<10} 用户名 {username:<10} 密码 {password}")
            self.stdout.write(f"  登录地址 {settings.NEWSROOM_BASE_URL}/admin/")
        else:
            self.stdout.write(
                "演示账号已存在，密码未改动。忘记密码：.venv/bin/python manage.py changepassword 用户名"
            )
