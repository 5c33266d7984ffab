"""An htmx fragment is one block of a page template; the block must still find the macros
the template (or the layout it extends) imports at its top level."""

from jinja2 import DictLoader, Environment
from jinja2_fragments import render_block

from portal.web.render import _with_imports

TEMPLATES = {
    "macros.html": "{% macro box(x) %}<b>{{ x }}</b>{% endmacro %}"
    "{% macro who() %}{{ user }}{% endmacro %}",
    "layout.html": '{% import "macros.html" as m %}<main>{% block main %}{% endblock %}</main>',
    "page.html": '{% extends "layout.html" %}'
    '{% from "macros.html" import box, box as boxed %}'
    '{% from "macros.html" import who with context %}'
    "{% block main %}{{ box(1) }}{{ boxed(2) }}{{ m.box(3) }}{{ who() }}{% endblock %}",
}


def test_block_alone_finds_top_level_and_inherited_imports():
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    ctx = _with_imports(env, "page.html", {"user": "<ani>"})
    fragment = render_block(env, "page.html", "main", **ctx)
    assert fragment == "<b>1</b><b>2</b><b>3</b>&lt;ani&gt;"
    assert env.get_template("page.html").render(user="x").startswith("<main><b>1</b>")


def test_context_values_win_over_imported_names():
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    ctx = _with_imports(env, "page.html", {"box": "mine"})
    assert ctx["box"] == "mine"


def test_a_block_defined_in_the_layout_renders_with_the_page_overrides():
    env = Environment(
        loader=DictLoader(
            {
                **TEMPLATES,
                "staff_layout.html": '{% extends "layout.html" %}'
                "{% block main %}<nav>{{ nav }}</nav>{% block staff %}{% endblock %}"
                "{% endblock %}",
                "staff_page.html": '{% extends "staff_layout.html" %}'
                '{% from "macros.html" import box %}'
                "{% block staff %}{{ box(who) }}{% endblock %}",
            }
        ),
        autoescape=True,
    )
    from portal.web.render import _render_block

    ctx = _with_imports(env, "staff_page.html", {"nav": "menu", "who": "ani"})
    assert _render_block(env, "staff_page.html", "main", ctx) == "<nav>menu</nav><b>ani</b>"
    assert _render_block(env, "staff_page.html", "staff", ctx) == "<b>ani</b>"
