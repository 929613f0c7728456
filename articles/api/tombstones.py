"""Remember the stories that leave the public site, for syncing apps (/stories/removed).

A story leaves when it is withdrawn or moved to the 回收站 — through the workflow,
which saves it. Before such a save we ask whether the row was public (one small
query, only for saves that leave the story not public); after it, a story that
was public and is not any more gets a `RemovedStory` row with the time. A story
that was only ever scheduled, or a draft, gets none: no app has seen it, and its
id is nobody's business. Listeners on the model's signals, after the work is
done, as an outside integration should be: the workflow knows nothing of the API.
"""

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from ..models import Article, RemovedStory


def _note_public_before(sender, instance, raw=False, **kwargs):
    instance._api_was_public = bool(
        not raw and instance.pk is not None and not instance.is_published()
        and Article.objects.published().filter(pk=instance.pk).exists()
    )


def _record_removal(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_api_was_public", False) and not instance.is_published():
        RemovedStory.objects.update_or_create(article_id=instance.pk,
                                              defaults={"removed_at": timezone.now()})
    instance._api_was_public = False


def connect_signals():
    """Called once from ArticlesConfig.ready()."""
    pre_save.connect(_note_public_before, sender=Article, dispatch_uid="api_note_public_before")
    post_save.connect(_record_removal, sender=Article, dispatch_uid="api_record_removal")
