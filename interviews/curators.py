"""The Curators group: edits the question bank and triages reports; nothing on users or groups."""

CURATORS = "Curators"
CURATOR_PERMISSIONS = {
    "topic": ["add", "change", "view"],
    "question": ["add", "change", "view"],
    "choice": ["add", "change", "view", "delete"],
    "acceptedanswer": ["add", "change", "view", "delete"],
    "followup": ["add", "change", "view", "delete"],
    "report": ["change", "view"],
}


def sync_curators_group(group_model, permission_model):
    """Create or repair the group. Takes the models so a data migration can pass historical ones."""
    group, _ = group_model.objects.get_or_create(name=CURATORS)
    codenames = [f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions]
    group.permissions.set(permission_model.objects.filter(content_type__app_label="interviews", codename__in=codenames))
    return group
