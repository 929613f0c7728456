"""Draft links for people without an account (the union official who checks the facts).

A link is a ShareLink row and a token signed with django.core.signing (salted
for this purpose) that holds the row's id, the story's id and the row's random
nonce. Opening a link needs all of them to agree with the database, the row not
revoked and not expired: a changed character, another story's id or a revoked
row opens nothing, and never another story. The page (articles/public/previews.py,
`ShareLinkView`) is not cached, says noindex and shows a 草稿 banner.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from ..models import ShareLink
from . import permissions
from .workflow import NotAllowed, WorkflowError

SALT = "articles.sharelink"
DAYS = [1, 3, 7, 14]  # the choices offered; at most two weeks


def token_for(link):
    return signing.dumps({"l": link.pk, "a": link.article_id, "n": link.nonce}, salt=SALT, compress=True)


def url_for(link, request=None):
    path = reverse("articles:share_link", kwargs={"token": token_for(link)})
    return request.build_absolute_uri(path) if request is not None else path


def link_for_token(token):
    """The usable ShareLink a token names, or None (bad signature, mismatch, revoked, expired)."""
    try:
        data = signing.loads(token, salt=SALT)
        link_id, article_id, nonce = int(data["l"]), int(data["a"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    link = ShareLink.objects.usable().select_related("article").filter(pk=link_id).first()
    if link is None or link.article_id != article_id or not constant_time_compare(link.nonce, nonce):
        return None
    return link


@transaction.atomic
def create_link(*, article, user, days, note=""):
    """A new link to `article`, valid for `days` days."""
    if not permissions.can_share(user, article):
        raise NotAllowed("只有负责这篇稿件的编辑可以生成预览链接。")
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days not in DAYS:
        raise WorkflowError("请选择链接的有效期。", code="days")
    now = timezone.now()
    return ShareLink.objects.create(
        article=article, nonce=secrets.token_urlsafe(16), created_by=user, created_at=now, expires_at=now + timedelta(days=days),
        note=(note or "").strip()[:100],
    )


@transaction.atomic
def revoke_link(*, link, user):
    """Stop a link from working, at once."""
    if not permissions.can_share(user, link.article):
        raise NotAllowed("只有负责这篇稿件的编辑可以撤销预览链接。")
    locked = ShareLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = timezone.now(), user
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
