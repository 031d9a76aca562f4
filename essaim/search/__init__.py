"""One search across every module, French-aware, on SQLite and PostgreSQL alike.

Design
------
*Analysis* (``text.analyse``): indexed text and queries go through the same Python
function: lower case, accents folded ("École" → "ecole", "œ" → "oe"), French stop words
and elisions dropped ("l'", "de", "la"…), Snowball French stemming (``snowballstemmer``,
pure Python) on the folded words, and one rule of ours mapping "-aire"/"-arité" stems
together so "solidaires" finds "solidarité". Autocomplete fields are only folded, not
stemmed, so that a typed prefix stays a prefix.

*Backend* (``backends``, the ``WAGTAILSEARCH_BACKENDS`` entry): Wagtail's own database
backends (modelsearch: SQLite FTS5, PostgreSQL tsvector) with that analysis plugged into
indexing and query compiling; PostgreSQL reads the analysed text with the ``simple``
configuration (no second stemming, no unaccent extension needed). Wagtail's admin search
and ``Model.objects.search()`` therefore get the same French behaviour. Indexing follows
Wagtail: a task on save (``django.tasks``), ``essaim update-index`` to rebuild.
Limitation: ``search(..., fields=[...])`` on PostgreSQL reads raw columns, unanalysed.

*Registry* (``registry``): searched types are discovered, never listed: live, public
Wagtail pages of every page type, and every indexed model of an ``essaim.*`` app whose
default manager has ``public()`` and which has ``get_absolute_url()``. Optional hooks:
``search_type_label``, ``search_summary()``, template
``search/result_<app_label>_<model_name>.html``.

*Query* (``services.search``, ``matching``): one query over the index tables, every term
required, ranked (FTS5 bm25 / ts_rank, title weighted), joined to "what an anonymous
visitor may see *now*" (``public()``, live and unrestricted pages) so an entry left in
the index by an unpublished or private object never shows. Per-type counts in one
grouped query; one page of entries (LIMIT/OFFSET, ``per_page`` ≤ 100); one query per
type on the page to load the objects.
"""
