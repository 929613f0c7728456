"""`manage.py site_address`: the addresses `make run` prints, from settings.NEWSROOM_BASE_URL
(the same address the links in workflow mails use; the rule is newsroom/address.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = "显示本站和编辑部的地址（与工作流邮件中的链接一致）。"

    def handle(self, *args, **options):
        base = settings.NEWSROOM_BASE_URL.rstrip("/")
        self.stdout.write(f"工会新闻: {base}/   编辑部: {base}{reverse('admin:index')}")
