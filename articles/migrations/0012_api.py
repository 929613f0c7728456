# The read API: keys for apps, their daily usage, stories that left the public site (articles/models/api.py).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='谁在用这个密钥，例如：微信小程序。', max_length=100, verbose_name='名称')),
                ('prefix', models.CharField(db_index=True, editable=False, max_length=20, verbose_name='密钥开头')),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('per_minute', models.PositiveIntegerField(blank=True, help_text='留空则用默认值（环境变量 NEWSROOM_API_KEY_PER_MINUTE）。', null=True, verbose_name='每分钟请求上限')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='签发时间')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='吊销时间')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='最近使用')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人')),
                ('revoked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='吊销人')),
            ],
            options={
                'verbose_name': 'API 密钥',
                'verbose_name_plural': 'API 密钥',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RemovedStory',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='articles.article', verbose_name='稿件')),
                ('removed_at', models.DateTimeField(verbose_name='撤下时间')),
            ],
            options={
                'verbose_name': '已撤下的稿件',
                'verbose_name_plural': '已撤下的稿件',
                'ordering': ['-removed_at', '-article_id'],
                'indexes': [models.Index(fields=['-removed_at', '-article'], name='removedstory_time_idx')],
            },
        ),
        migrations.CreateModel(
            name='ApiKeyUsage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='日期')),
                ('requests', models.PositiveBigIntegerField(default=0, verbose_name='请求数')),
                ('throttled', models.PositiveBigIntegerField(default=0, verbose_name='超限被拒')),
                ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='usage', to='articles.apikey', verbose_name='密钥')),
            ],
            options={
                'verbose_name': 'API 用量',
                'verbose_name_plural': 'API 用量',
                'ordering': ['-day'],
                'constraints': [models.UniqueConstraint(fields=('key', 'day'), name='apikeyusage_key_day')],
            },
        ),
    ]
