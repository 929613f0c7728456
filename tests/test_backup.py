"""`make backup` / `make restore`: backup → wipe → restore gives back every row and file.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL in
CI's second pass), so both round trips are tested.
"""

import hashlib
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Photo
from articles.photos.storage import originals_storage
from articles.services import workflow
from newsroom.backup import BackupError, create_backup, read_manifest, row_counts

from .factories import make_article, make_photo, make_reporter, make_union
from .newsroom import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def files_of(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture
def newsroom(editor):
    body = make_union("石景山区总工会", slug="shijingshan")
    reporter = make_reporter("张晶", slug="zhang-jing")
    photo = make_photo(caption="职工运动会")
    make_article(title="职工运动会开幕", unions=[body], reporters=[reporter], photos=[photo],
                 body="<p>本报讯 运动会今天开幕。</p>")
    deleted = make_article(title="回收站里的稿件")
    workflow.delete_article(article=deleted, user=editor)
    return photo


def test_backup_wipe_restore_gives_back_every_row_and_file(newsroom, tmp_path):
    media, private = settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT
    rows_before, counts_before = snapshot(), row_counts()
    media_before, private_before = files_of(media), files_of(private)
    assert media_before and private_before  # the photo's public copy, renditions and original

    call_command("backup", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()

    # Wipe everything: every table and both folders.
    call_command("flush", "--noinput")
    shutil.rmtree(media)
    shutil.rmtree(private)
    assert Article.all_objects.count() == 0 and not media.exists()

    call_command("restore", str(folder), "--yes")

    assert row_counts() == counts_before
    assert snapshot() == rows_before
    assert files_of(media) == media_before
    assert files_of(private) == private_before
    assert Article.all_objects.deleted().get().title == "回收站里的稿件"
    photo = Photo.objects.get()
    assert (media / photo.image.name).exists() and originals_storage.exists(photo.original)
    # The site works on the restored data.
    story = Article.objects.get(title="职工运动会开幕")
    from django.test import Client

    assert "职工运动会开幕" in Client().get(story.get_absolute_url()).content.decode()


def test_restore_needs_yes_and_refuses_a_damaged_backup(newsroom, tmp_path):
    folder = create_backup(tmp_path)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))
    (folder / "media.tar.gz").write_bytes(b"damaged")
    with pytest.raises(BackupError, match="media.tar.gz"):
        read_manifest(folder)
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore", str(folder), "--yes")
    assert Article.all_objects.count() == 2  # nothing was touched
