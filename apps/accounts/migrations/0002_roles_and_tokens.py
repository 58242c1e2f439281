from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


CAPABILITIES = {
    "view_fleet": "Read the catalogue, compliance, deployments, stages (not secrets)",
    "operate": "Deploy to non-production environments, run renders, manage rooms",
    "deploy_production": "Deploy to production environments",
    "manage_keys": "Read and change AI provider keys",
    "manage_users": "Manage users, roles and other people's tokens",
    "import_catalog": "Import and edit catalogue entries",
}
ROLE_PERMISSIONS = {
    "viewer": ["view_fleet"],
    "operator": ["view_fleet", "operate"],
    "admin": list(CAPABILITIES),
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrate; the groups need them now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    for codename, name in CAPABILITIES.items():
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "operator", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Capability",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [
                    ("view_fleet", "Read the catalogue, compliance, deployments, stages (not secrets)"),
                    ("operate", "Deploy to non-production environments, run renders, manage rooms"),
                    ("deploy_production", "Deploy to production environments"),
                    ("manage_keys", "Read and change AI provider keys"),
                    ("manage_users", "Manage users, roles and other people's tokens"),
                    ("import_catalog", "Import and edit catalogue entries"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("prefix", models.CharField(max_length=12, unique=True)),
                ("token_hash", models.CharField(max_length=64)),
                ("scope", models.CharField(choices=[("read", "Read"), ("operate", "Operate"), ("admin", "Admin")], default="read", max_length=10)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("last_used_from", models.GenericIPAddressField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-created_at"]},
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
