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

*Query* (``services.search``, ``matching``; per database ``postgres_windows`` and
``sqlite_windows``): one statement reads, for every searchable type, a *window*: its
first ``RESULTS_CAP`` + 1 (1,001) index entries, in index order, that contain every term
(in title or body) and whose object an anonymous visitor may see *now* (``public()``,
live and unrestricted pages: a primary-key probe per entry read), each with its score
(bm25 without the words' rarity on SQLite / ts_rank, title weighted). Counts per type are
the window sizes, capped: past 1,000 the page says « plus de 1 000 ». The selected types'
windows are ranked together (score, then entry id) and paged in Python (``per_page`` ≤
100), then one query per type on the page loads the objects. So a word found in every
document costs what a rare one does, and every page of a query reads the same windows:
past the cap only the first 1,000 matches of a type are ranked and paged, and the page
says so. PostgreSQL reads the windows of frequent words from the table's first blocks
before its GIN indexes (``pg_stats`` says which words are frequent); each process
compiles a window once per shape. See docs/search.md.
"""
