"""The README's page table is the one the routes make: a new or renamed page shows up in
the table a reader uses to find its template, handler and service."""

from tests import pages_table


def test_readme_page_table_matches_the_routes():
    assert pages_table.current() == pages_table.block(), (
        "README.md's page table is out of date: run `python -m tests.pages_table`"
    )


def test_every_named_page_route_is_in_the_table():
    table = pages_table.block()
    from portal.app import create_app

    names = {
        handler.name
        for route in create_app().routes
        for handler in getattr(route, "route_handlers", [])
        if handler.name and handler.fn.__module__.startswith("portal.")
    }
    assert names, "no named routes found"
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == []


def test_each_handler_module_has_its_service_and_template_by_stem():
    """The naming rule the table relies on: `portal/<area>/<stem>_pages.py` has a service or
    a template called after the same stem, so the name alone leads to them."""
    rows = [row for row in pages_table.rows()[2:] if not row.startswith("| web |")]
    assert rows
    unnamed = []
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        area, feature, _routes, templates, services = cells
        stem = feature.split("`")[1]
        if f"portal/{area}/{stem}.py" not in services and f"{area}/{stem}" not in templates:
            unnamed.append(feature)
    assert unnamed == []
