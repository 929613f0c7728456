"""The printed paper: Issue (期), Page (版), Placement; Article.backfilled_at (补录).

Existing print positions (Article.print_date / print_page, filled by the text
importer) become placements: one issue per print date, one page per page
number, the story placed there without regions. Those pages were already
public through the day archive's order, so the issues made here are
published; they have no page images until an editor uploads the PDFs. Editors
get the model permissions to keep the e-paper in the admin.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_GROUP = "编辑"
EPAPER_PERMISSIONS = [
    f"{action}_{model}" for model in ("issue", "page", "placement")
    for action in ("add", "change", "delete", "view")
]


def placements_from_print_fields(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Issue = apps.get_model("articles", "Issue")
    Page = apps.get_model("articles", "Page")
    Placement = apps.get_model("articles", "Placement")
    stories = (
        Article.objects.filter(print_date__isnull=False, print_page__isnull=False)
        .order_by("print_date", "print_page", "id").values_list("id", "print_date", "print_page")
    )
    issues, pages, orders = {}, {}, {}
    for article_id, day, number in stories.iterator():
        if day not in issues:
            issues[day] = Issue.objects.get_or_create(date=day, defaults={"is_published": True})[0]
        if (day, number) not in pages:
            pages[day, number] = Page.objects.get_or_create(issue=issues[day], number=number)[0]
        page = pages[day, number]
        orders[page.pk] = orders.get(page.pk, -1) + 1
        Placement.objects.get_or_create(page=page, article_id=article_id,
                                        defaults={"order": orders[page.pk]})


def grant_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITOR_GROUP).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="articles", codename__in=EPAPER_PERMISSIONS))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_search_listing_time'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='backfilled_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='补录时间'),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='action',
            field=models.CharField(choices=[('created', '创建'), ('submitted', '送审'), ('returned', '退回'), ('published', '发布'), ('scheduled', '定时发布'), ('withdrawn', '撤回'), ('corrected', '更正'), ('restored', '恢复历史版本'), ('deleted', '删除'), ('undeleted', '从回收站恢复'), ('backfilled', '补录')], max_length=20, verbose_name='操作'),
        ),
        migrations.CreateModel(
            name='Issue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='出版日期')),
                ('number', models.PositiveIntegerField(blank=True, help_text='当年第几期。', null=True, verbose_name='期号')),
                ('total_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='总期号')),
                ('is_published', models.BooleanField(default=False, help_text='发布后读者才能在数字报中看到本期。', verbose_name='已发布')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='修改时间')),
            ],
            options={
                'verbose_name': '报纸（期）',
                'verbose_name_plural': '报纸（期）',
                'ordering': ['-date'],
                'indexes': [models.Index(fields=['is_published', '-date'], name='issue_published_date_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('total_number__isnull', False)), fields=('total_number',), name='issue_total_number_unique'), models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__isnull', True), _connector='OR'), name='issue_number_positive')],
            },
        ),
        migrations.CreateModel(
            name='Page',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='版次')),
                ('name', models.CharField(blank=True, help_text='如：要闻、工会新闻。', max_length=40, verbose_name='版名')),
                ('pdf', models.FileField(blank=True, max_length=200, upload_to='', verbose_name='版面 PDF')),
                ('image', models.FileField(blank=True, editable=False, max_length=200, upload_to='', verbose_name='版面图')),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='图宽')),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='图高')),
                ('renditions', models.JSONField(blank=True, default=dict, editable=False, verbose_name='尺寸')),
                ('blocks', models.JSONField(blank=True, default=list, editable=False, verbose_name='文字块')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pages', to='articles.issue', verbose_name='报纸')),
            ],
            options={
                'verbose_name': '版面',
                'verbose_name_plural': '版面',
                'ordering': ['issue', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Placement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('regions', models.JSONField(blank=True, default=list, verbose_name='区域')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='顺序')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='articles.article', verbose_name='稿件')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='articles.page', verbose_name='版面')),
            ],
            options={
                'verbose_name': '见报位置',
                'verbose_name_plural': '见报位置',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='page',
            constraint=models.UniqueConstraint(fields=('issue', 'number'), name='page_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='page',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='page_number_positive'),
        ),
        migrations.AddIndex(
            model_name='placement',
            index=models.Index(fields=['article', 'page'], name='placement_article_idx'),
        ),
        migrations.AddConstraint(
            model_name='placement',
            constraint=models.UniqueConstraint(fields=('page', 'article'), name='placement_unique_story'),
        ),
        migrations.RunPython(placements_from_print_fields, migrations.RunPython.noop),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
