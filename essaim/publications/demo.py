"""Demo publications: 20 articles and 4 thematic dossiers about the social and solidarity
economy in Centre-Val de Loire, written for the demo, with images drawn by Pillow.

Idempotent: an article or dossier whose slug exists is left as it is.
"""

import io
import random
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from essaim.accounts.models import User
from essaim.publications.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    DossierIndexPage,
    DossierPage,
)
from essaim.taxonomy.models import Theme

DOMAIN = "demo.essaim.localhost"
# (title, lead, paragraphs, theme slugs, territory key, author e-mail local part, organisation)
ARTICLES = [
    ("Le Galais fête ses cinq ans dans le Loir-et-Cher",
     "Commerçants, producteurs et habitants font circuler une monnaie qui reste sur le territoire.",
     ["Cinq ans après son lancement, la monnaie locale du Loir-et-Cher compte plus de cent "
      "prestataires, du boulanger de Vendôme au cinéma associatif de Blois.",
      "Chaque euro converti alimente un fonds de garantie placé dans une banque éthique ; "
      "les commissions de reconversion financent des projets locaux choisis en assemblée."],
     ["monnaies-locales"], "41", "membre", "Association du Galais"),
    ("Payer en monnaie locale au marché de Tours : mode d'emploi",
     "Où changer ses euros, qui accepte les billets, et pourquoi cela change la donne pour les "
     "producteurs.",
     ["Trois comptoirs de change ouvrent le samedi matin près des halles.",
      "Les maraîchers qui acceptent la monnaie locale la dépensent à leur tour chez les "
      "artisans voisins : l'argent fait plusieurs tours avant de quitter le territoire."],
     ["monnaies-locales", "circuits-courts"], "37261", "animation", ""),
    ("Monnaies locales : ce que disent les chiffres régionaux",
     "Une enquête menée auprès de six monnaies de la région éclaire leur usage réel.",
     ["La masse en circulation reste modeste, mais la vitesse de circulation est trois fois "
      "supérieure à celle de l'euro dans les mêmes commerces.",
      "Les freins cités : le temps de change et le manque de prestataires dans les zones rurales."],
     ["monnaies-locales"], "region-24", "edition", "Réseau régional de l'ESS"),
    ("Une monnaie numérique pour les habitants du Berry",
     "Après le papier, une application libre permet de payer en monnaie locale par téléphone.",
     ["Le code est publié sous licence libre et mutualisé avec deux autres monnaies.",
      "Les commerçants reçoivent les paiements sans frais bancaires."],
     ["monnaies-locales", "communs-numeriques"], "18", "membre", "La Ruche Solidaire"),
    ("Le tiers-lieu de la gare de Saint-Amand rouvre ses portes",
     "Atelier partagé, café associatif et espace de travail : l'ancienne halle reprend vie.",
     ["Une SCIC réunit la commune, des artisans et des habitants pour gérer le lieu.",
      "Le programme d'automne mêle réparation de vélos, permanences numériques et concerts."],
     ["tiers-lieux"], "18197", "animation", "SCIC de la Halle"),
    ("Faire vivre un tiers-lieu rural : cinq leçons d'Indre",
     "Des porteurs de projet partagent ce qui a marché, et ce qui a échoué.",
     ["Commencer petit, avec un usage qui répond à un besoin visible, plutôt qu'un grand "
      "bâtiment vide.",
      "Prévoir dès le départ un modèle économique hybride : adhésions, prestations, subventions."],
     ["tiers-lieux", "cooperation-gouvernance"], "36", "edition", ""),
    ("À Orléans, un fablab ouvert aux lycéens",
     "Imprimantes 3D, découpe laser et entraide : le lieu accueille désormais des classes.",
     ["Les enseignants y emmènent leurs élèves pour des projets de technologie.",
      "Les bénévoles forment les jeunes à la sécurité des machines et au partage des plans."],
     ["tiers-lieux", "communs-numeriques"], "45234", "membre", "Fablab des Carmes"),
    ("Tiers-lieux et emploi : une coopérative d'activité s'installe à Chartres",
     "Les entrepreneurs salariés trouvent un bureau, des formations et un collectif.",
     ["La coopérative accompagne une trentaine de porteurs de projet.",
      "Le tiers-lieu offre un cadre où les métiers se croisent et se recommandent."],
     ["tiers-lieux", "emploi-insertion"], "28085", "contribution", ""),
    ("Des communs numériques pour les associations du Cher",
     "Un collectif propose des outils libres hébergés localement, de l'agenda au cloud.",
     ["Une quarantaine d'associations ont quitté des services gratuits mais intrusifs.",
      "Les formations ont lieu dans les médiathèques, avec des bénévoles du collectif."],
     ["communs-numeriques"], "18033", "animation", "Collectif libre du Berry"),
    ("Cartographier les initiatives en données ouvertes",
     "Pourquoi le réseau publie ses données sous licence ouverte, et comment les réutiliser.",
     ["Les fiches de la carte sont téléchargeables en CSV et GeoJSON.",
      "Des collectivités les croisent déjà avec leurs propres données pour leurs diagnostics."],
     ["communs-numeriques"], "region-24", "edition", "Réseau régional de l'ESS"),
    ("Inclusion numérique : les conseillers itinérants à la rencontre des villages",
     "Un minibus équipé fait étape chaque semaine dans les communes sans espace numérique.",
     ["Démarches en ligne, courriels, sécurité : les demandes sont très concrètes.",
      "Le service est porté par une association d'éducation populaire."],
     ["inclusion-numerique"], "36044", "contribution", ""),
    ("Wiki des savoir-faire : documenter pour essaimer",
     "Des associations écrivent ensemble leurs méthodes, sous licence libre.",
     ["Chaque fiche raconte un projet, ses étapes, ses réussites et ses échecs.",
      "Le wiki est ouvert à tous les membres du réseau, relu par des bénévoles."],
     ["communs-numeriques", "cooperation-gouvernance"], "37", "membre", ""),
    ("Circuits courts : la plateforme de commande des producteurs du Loiret",
     "Une trentaine de fermes vendent en ligne et livrent dans des points relais.",
     ["Les producteurs fixent leurs prix et gardent le lien avec les clients.",
      "La plateforme est gérée par une coopérative dont ils sont sociétaires."],
     ["circuits-courts"], "45", "animation", "Coopérative Loiret Fermier"),
    ("Une légumerie solidaire pour les cantines de l'Indre-et-Loire",
     "Les légumes des maraîchers locaux sont lavés et découpés par des salariés en insertion.",
     ["Les cantines peuvent enfin servir des produits locaux sans surcharge de travail.",
      "L'atelier emploie douze personnes en parcours d'insertion."],
     ["circuits-courts", "emploi-insertion"], "37", "edition", ""),
    ("AMAP : dix ans de paniers partagés à Bourges",
     "Les adhérents s'engagent pour une saison auprès d'un maraîcher.",
     ["Le contrat garantit un revenu stable au paysan et des légumes de saison aux familles.",
      "Les distributions sont aussi des moments de rencontre."],
     ["amap", "circuits-courts"], "18033", "membre", "AMAP du Val d'Auron"),
    ("Épicerie solidaire : des produits locaux pour tous les budgets",
     "À Blois, une épicerie pratique des prix différenciés selon les revenus.",
     ["Les clients solidaires paient un peu plus, ce qui finance l'accès des autres.",
      "Les producteurs du département fournissent près de la moitié des rayons."],
     ["epiceries-solidaires", "circuits-courts"], "41018", "contribution", ""),
    ("Marchés de producteurs : comment une commune rurale a relancé le sien",
     "Un marché du vendredi soir attire désormais les habitants des villages voisins.",
     ["La commune a mis à disposition la place et l'électricité.",
      "Une association de producteurs gère le marché et l'animation."],
     ["circuits-courts"], "28", "animation", ""),
    ("Coopérer entre structures de l'ESS : retour sur les rencontres régionales",
     "Deux jours d'ateliers pour monter des projets communs entre associations et coopératives.",
     ["Les participants ont identifié des besoins partagés : locaux, véhicules, comptabilité.",
      "Plusieurs groupements d'employeurs sont à l'étude."],
     ["cooperation-gouvernance"], "region-24", "edition", "Réseau régional de l'ESS"),
    ("Réemploi : la ressourcerie de Vierzon double sa surface",
     "Plus de place pour trier, réparer et vendre les objets donnés.",
     ["La ressourcerie détourne chaque année plusieurs centaines de tonnes de déchets.",
      "Elle forme des salariés en insertion aux métiers de la réparation."],
     ["ressourceries-recycleries"], "18279", "membre", ""),
    ("Énergie citoyenne : un parc solaire financé par les habitants",
     "Près de trois cents habitants ont pris des parts dans une société locale d'énergie.",
     ["Les toitures de bâtiments publics accueillent les panneaux.",
      "Les bénéfices restent sur le territoire et financent des actions de sobriété."],
     ["energies-renouvelables-citoyennes"], "37", "animation", "Énergie partagée Touraine"),
]  # fmt: skip
DOSSIERS = [
    ("Monnaies locales", "monnaies-locales",
     "Faire circuler l'argent là où il est gagné : les monnaies locales de la région."),
    ("Tiers-lieux", "tiers-lieux",
     "Ateliers, cafés, espaces de travail : des lieux partagés pour faire ensemble."),
    ("Communs numériques", "communs-numeriques",
     "Logiciels libres, données ouvertes, savoirs partagés au service des associations."),
    ("Circuits courts alimentaires", "circuits-courts",
     "Des fermes aux assiettes, avec le moins d'intermédiaires possible."),
]  # fmt: skip
COLOURS = ["#2e7d5b", "#c0562a", "#3b5ba5", "#8a5a9e", "#b8860b", "#2f6f7e"]


def load_demo(out) -> None:
    articles_index = ArticleIndexPage.objects.first()
    dossiers_index = DossierIndexPage.objects.first()
    if articles_index is None or dossiers_index is None:
        return
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    users = {user.email.split("@")[0]: user for user in User.objects.filter(
        email__endswith=f"@{DOMAIN}")}  # fmt: skip
    today = timezone.localdate()
    for number, spec in enumerate(ARTICLES):
        _article(articles_index, spec, themes, users, today - timedelta(days=4 * number), number)
    for number, spec in enumerate(DOSSIERS):
        _dossier(dossiers_index, spec, themes, users.get("edition"), number)
    out.write(f"  {ArticlePage.objects.live().count()} articles, "
              f"{DossierPage.objects.live().count()} dossiers")  # fmt: skip


def _article(index, spec, themes, users, day, number) -> None:
    from django.utils.text import slugify

    title, lead, paragraphs, theme_slugs, territory, author, organisation = spec
    if ArticlePage.objects.filter(slug=slugify(title)[:80]).exists():
        return
    chosen = [themes[slug] for slug in theme_slugs if slug in themes]
    body = [("paragraph", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))]
    body.insert(1, ("quote", {"text": paragraphs[-1], "source": organisation or "Le réseau"}))
    alt = f"Illustration abstraite pour l'article « {title} » : cercles de couleur."
    article = ArticlePage(
        title=title, slug=slugify(title)[:80], lead=lead, body=body, territory_key=territory,
        organisation_name=organisation, date=day, owner=users.get(author),
        listing_image=_image(title, alt, number),
    )  # fmt: skip
    article.themes.set(chosen)
    index.add_child(instance=article)
    if users.get(author):
        ArticleAuthor.objects.create(page=article, user=users[author])
    article.save_revision(user=users.get(author)).publish()


def _dossier(index, spec, themes, editor, number) -> None:
    from essaim.agenda.models import Event
    from essaim.initiatives.models import Initiative
    from essaim.veille.models import Pick

    title, slug, lead = spec
    if DossierPage.objects.filter(slug=slug).exists():
        return
    theme = themes.get(slug)
    ids = theme.family_ids() if theme else []
    items = [("page", page) for page in ArticlePage.objects.live().filter(themes__in=ids)
             .distinct().order_by("-date")[:3]]  # fmt: skip
    items += [("initiative", i) for i in Initiative.objects.public().filter(themes__in=ids)
              .distinct()[:3]]  # fmt: skip
    items += [("event", e) for e in Event.objects.public().filter(themes__in=ids).distinct()[:2]]
    items += [("pick", p) for p in Pick.objects.public().filter(themes__in=ids).distinct()[:2]]
    dossier = DossierPage(
        title=title, slug=slug, lead=lead, theme=theme, items=items, owner=editor,
        introduction=f"<p>{lead} Ce dossier rassemble nos articles, des initiatives de la carte, "
                     "des événements à venir et notre veille sur le sujet.</p>",
        listing_image=_image(title, f"Illustration abstraite du dossier « {title} ».", number + 7),
    )  # fmt: skip
    index.add_child(instance=dossier)
    dossier.save_revision(user=editor).publish()


def _image(title: str, alt: str, seed: int):
    """A 1200×675 abstract picture drawn locally (no download), stored as a Wagtail image."""
    model = get_image_model()
    name = f"demo-publication-{seed}.png"
    existing = model.objects.filter(title=alt[:255]).first()
    if existing:
        return existing
    rng = random.Random(seed)
    picture = Image.new("RGB", (1200, 675), COLOURS[seed % len(COLOURS)])
    draw = ImageDraw.Draw(picture)
    for _ in range(14):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(40, 220)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=COLOURS[rng.randrange(len(COLOURS))],
                     outline="#ffffff", width=4)  # fmt: skip
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    image = model(title=alt[:255], description=alt)
    image.file = ImageFile(buffer, name=name)
    image.save()
    return image
