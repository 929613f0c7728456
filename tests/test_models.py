"""The model rules every other part relies on."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article, ArticlePhoto, ArticleUnionBody, UnionBody

from .factories import make_article, make_photo, make_reporter, make_union

pytestmark = pytest.mark.django_db


class TestUnionTree:
    def test_subtree_holds_the_body_and_all_its_descendants(self, tree):
        city, chaoyang, aoyuncun, changping = tree
        directory = UnionBody.objects.directory()
        assert set(directory.subtree_ids(city)) == {city.pk, chaoyang.pk, aoyuncun.pk, changping.pk}
        assert set(directory.subtree_ids(chaoyang)) == {chaoyang.pk, aoyuncun.pk}
        assert directory.subtree_ids(aoyuncun) == [aoyuncun.pk]
        assert set(directory.subtree_ids(aoyuncun, changping)) == {aoyuncun.pk, changping.pk}

    def test_reading_the_tree_is_one_query(self, tree, django_assert_num_queries):
        with django_assert_num_queries(1):
            directory = UnionBody.objects.directory()
        with django_assert_num_queries(0):
            directory.subtree_ids(tree[0]), directory.ancestors(tree[2]), directory.walk()

    def test_a_parent_cycle_made_behind_the_models_back_never_loops(self, tree):
        """update() skips clean(): every walk must still end, and lose no body."""
        city, chaoyang, aoyuncun, changping = tree
        UnionBody.objects.filter(pk=chaoyang.pk).update(parent=aoyuncun.pk)
        directory = UnionBody.objects.directory()
        assert set(directory.subtree_ids(chaoyang)) == {chaoyang.pk, aoyuncun.pk}
        reloaded = directory.by_pk[aoyuncun.pk]
        assert [body.pk for body in directory.ancestors(reloaded)] == [chaoyang.pk]
        walked = [body.pk for body, _ in directory.walk(active_only=False)]
        assert sorted(walked) == sorted([city.pk, chaoyang.pk, aoyuncun.pk, changping.pk])
        assert list(Article.objects.published().in_union_subtree(city)) == []

    def test_stories_of_a_body_include_its_sub_bodies(self, tree):
        city, chaoyang, aoyuncun, changping = tree
        street_story = make_article(unions=[aoyuncun])
        district_story = make_article(unions=[chaoyang])
        other_story = make_article(unions=[changping])
        in_chaoyang = set(Article.objects.published().in_union_subtree(chaoyang))
        assert in_chaoyang == {street_story, district_story}
        assert other_story in Article.objects.published().in_union_subtree(city)

    def test_a_story_in_two_bodies_of_one_subtree_is_listed_once(self, tree):
        city, chaoyang, aoyuncun, _ = tree
        make_article(unions=[chaoyang, aoyuncun])
        assert Article.objects.published().in_union_subtree(city).count() == 1

    def test_a_body_cannot_be_moved_under_its_own_descendant(self, tree):
        _, chaoyang, aoyuncun, _ = tree
        chaoyang.parent = aoyuncun
        with pytest.raises(ValidationError, match="上级工会"):
            chaoyang.full_clean()

    def test_the_database_refuses_a_body_that_is_its_own_parent(self, tree):
        city = tree[0]
        with pytest.raises(IntegrityError), transaction.atomic():
            UnionBody.objects.filter(pk=city.pk).update(parent=city.pk)

    def test_slug_must_be_ascii(self):
        body = UnionBody(name="石景山区总工会", slug="石景山")
        with pytest.raises(ValidationError) as error:
            body.full_clean()
        assert "slug" in error.value.message_dict

    def test_ancestors_run_from_the_root_down(self, tree):
        city, chaoyang, aoyuncun, _ = tree
        directory = UnionBody.objects.directory()
        assert directory.ancestors(directory.by_pk[aoyuncun.pk]) == [city, chaoyang]


class TestPublished:
    def test_only_published_stories_whose_time_has_come(self):
        now = timezone.now()
        live = make_article(published_at=now - timedelta(minutes=1))
        make_article(status=Article.Status.DRAFT)
        make_article(status=Article.Status.REVIEW)
        make_article(published_at=now + timedelta(hours=2))  # scheduled
        assert list(Article.objects.published()) == [live]

    def test_a_scheduled_story_appears_by_itself_when_its_time_passes(self):
        publish_time = timezone.now() + timedelta(hours=2)
        story = make_article(published_at=publish_time)
        assert not story.is_published() and story.is_scheduled()
        assert story not in Article.objects.published()
        later = publish_time + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert story in Article.objects.published()
            assert story.is_published()

    def test_a_published_story_needs_a_time(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.create(title="无时间", status=Article.Status.PUBLISHED)

    def test_status_outside_the_workflow_is_refused_by_the_database(self):
        story = make_article(status=Article.Status.DRAFT)
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=story.pk).update(status="archived")

    def test_union_listing_follows_the_story_status(self):
        body = make_union()
        story = make_article(status=Article.Status.DRAFT, unions=[body])
        link = ArticleUnionBody.objects.get(article=story)
        assert link.published_at is None
        story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
        story.save()
        link.refresh_from_db()
        assert link.published_at == story.published_at
        story.status = Article.Status.DRAFT
        story.save()
        link.refresh_from_db()
        assert link.published_at is None

    def test_links_added_to_a_published_story_carry_its_time(self):
        story = make_article()
        body = make_union()
        body.articles.add(story)  # the reverse side of the relation
        assert ArticleUnionBody.objects.get(article=story).published_at == story.published_at


class TestArticle:
    def test_every_save_counts_a_version(self):
        story = make_article(status=Article.Status.DRAFT)
        assert story.version == 1
        story.title = "改过的标题"
        story.save()
        story.refresh_from_db()
        assert story.version == 2

    def test_body_is_sanitised_on_save(self):
        story = make_article(
            body='<p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:alert(1)">链接</a>'
        )
        story.refresh_from_db()
        assert "<script" not in story.body and "alert" not in story.body
        assert "onclick" not in story.body and "javascript:" not in story.body
        assert "正文" in story.body

    def test_byline_reads_as_printed(self):
        story = make_article(reporters=[make_reporter("张晶"), make_reporter("周美玉")])
        assert story.credit_line() == "记者 张晶 周美玉"

    def test_only_one_lead_photo(self):
        story = make_article(photos=[make_photo()])
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticlePhoto.objects.create(article=story, photo=make_photo(), is_lead=True)

    def test_every_public_object_has_a_url(self):
        body, reporter = make_union(slug="chaoyang"), make_reporter(slug="zhang-jing")
        story = make_article()
        assert story.get_absolute_url() == f"/articles/{story.pk}/"
        assert body.get_absolute_url() == "/unions/chaoyang/"
        assert reporter.get_absolute_url() == "/reporters/zhang-jing/"


class TestProtectedDeletes:
    def test_a_union_body_with_stories_cannot_be_deleted(self):
        body = make_union()
        make_article(unions=[body])
        with pytest.raises(ProtectedError):
            body.delete()
        assert UnionBody.objects.filter(pk=body.pk).exists()

    def test_a_union_body_with_sub_bodies_cannot_be_deleted(self):
        parent = make_union()
        make_union(parent=parent)
        with pytest.raises(ProtectedError):
            parent.delete()

    def test_a_reporter_in_a_byline_cannot_be_deleted(self):
        reporter = make_reporter()
        story = make_article(reporters=[reporter])
        with pytest.raises(ProtectedError):
            reporter.delete()
        assert story.reporters.get() == reporter

    def test_a_photo_in_a_story_cannot_be_deleted(self):
        photo = make_photo()
        make_article(photos=[photo])
        with pytest.raises(ProtectedError):
            photo.delete()

    def test_unused_union_body_can_be_deleted(self):
        body = make_union()
        body.delete()
        assert not UnionBody.objects.filter(pk=body.pk).exists()


def test_public_urls_are_remembered_but_follow_the_prefix_and_urlconf(settings):
    """articles.models.links: the same answers as reverse(), also under a script prefix."""
    from django.urls import reverse, set_script_prefix

    from articles.models.links import public_url

    assert public_url("articles:article_detail", pk=7) == reverse("articles:article_detail", kwargs={"pk": 7})
    try:
        set_script_prefix("/news/")
        assert public_url("articles:union_detail", slug="a") == "/news/unions/a/"
    finally:
        set_script_prefix("/")
    assert public_url("articles:union_detail", slug="a") == "/unions/a/"
    settings.ROOT_URLCONF = "tests.urls_mounted"
    assert public_url("articles:union_detail", slug="a") == "/site/unions/a/"
