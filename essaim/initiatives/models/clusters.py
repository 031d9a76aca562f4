"""Derived map data: each public initiative's projected point, and pre-aggregated cells.

Maintained by ``essaim.initiatives.clustering`` on every write; never edited by hand.
``essaim rebuild-map`` recomputes everything from the initiatives.
"""

from django.db import models


class MapPoint(models.Model):
    """A public, located initiative projected to Web-Mercator reference pixels.

    ``scopes`` lists the aggregates it counts in besides the whole map ("t<theme id>" for
    each theme and each parent theme, "d<département>"), so that a later write can take
    it out of exactly the cells it was added to, even after its themes changed.
    """

    # No foreign-key constraint in the database: a point is derived data, written and
    # deleted only by clustering (and cascaded by the ORM), and checking 100,000 new points
    # against the initiatives locked and rewrote each initiative's row once more.
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        models.CASCADE,
        primary_key=True,
        related_name="map_point",
        db_constraint=False,
    )
    x = models.IntegerField()
    y = models.IntegerField()
    commune = models.CharField(max_length=5, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    # {"name", "slug", "themes": [slugs]} serialised once on write, so that a map view
    # reads one compact table instead of initiatives and their themes.
    label = models.TextField(default="{}")

    class Meta:
        indexes = [
            models.Index(fields=["x", "y"], name="mappoint_xy"),
            models.Index(fields=["departement", "x", "y"], name="mappoint_dep_xy"),
            models.Index(fields=["commune"], name="mappoint_commune"),
            # Counts per commune of a région (the EPCI choropleth) without the table.
            models.Index(fields=["departement", "commune"], name="mappoint_dep_commune"),
        ]

    def __str__(self):
        return f"{self.initiative_id} @ ({self.x}, {self.y})"


class MapCell(models.Model):
    """How many public initiatives fall in one grid cell of one zoom, for one scope.

    ``scope`` is "" (everything), "t<theme id>" or "d<département code>". The cell
    (cx, cy) at zoom z holds the points whose reference pixel x // divisor(z, CELL_PX)
    == cx (same for y). Sums are integers so that adding and removing a point is exact:
    the centroid is (x_sum / count, y_sum / count) and, when count == 1, ``id_sum`` is
    the one initiative's id.

    Keyed by (scope, zoom, cx, cy) itself: a surrogate ``id`` was a second index that every
    new cell of an import had to enter, and that nothing read.
    """

    pk = models.CompositePrimaryKey("scope", "zoom", "cx", "cy")
    scope = models.CharField(max_length=8)
    zoom = models.PositiveSmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    count = models.IntegerField()
    x_sum = models.BigIntegerField()
    y_sum = models.BigIntegerField()
    id_sum = models.BigIntegerField()

    def __str__(self):
        return f"{self.scope or '*'} z{self.zoom} ({self.cx}, {self.cy}): {self.count}"


class MapState(models.Model):
    """One row: the map version, bumped on every write (the map API's ETag)."""

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"map version {self.version}"
