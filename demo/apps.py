from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo newsroom and benchmark archives: data generators, not part of the domain."""

    name = "demo"
    verbose_name = "演示与压测数据"
