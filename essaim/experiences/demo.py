"""Demo experience sheets: ten projects of Centre-Val de Loire, told in our own words,
failures included. Idempotent: sheets are keyed by slug and created once, each published
as a first revision so that its public history starts there.

Sheets are linked to a demo initiative or event of the same kind when one exists (the
initiatives and agenda demos run first), and the demo member account co-edits them.
"""

from datetime import date

from django.db import transaction

from essaim.agenda.models import Event
from essaim.experiences.models import ExperienceCoEditor, ExperienceEvent, ExperiencePage, Outcome
from essaim.experiences.services import ensure_index_page
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

OUT = Outcome


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# slug, title, commune, themes, outcome, start, end, organisation, initiative prefix,
# event prefix, summary, sections, steps, figures, budget
SHEETS = [
    {
        "slug": "ressourcerie-itinerante-en-pays-de-loches",
        "title": "Une ressourcerie itinérante en pays lochois",
        "commune": "37132", "themes": ["ressourceries-recycleries", "reemploi-dechets"],
        "outcome": OUT.PARTIAL, "started_on": date(2019, 3, 1), "ended_on": date(2023, 6, 30),
        "organisation_name": "Association Second Souffle (fictive)",
        "initiative": "Ressourcerie", "event": "Repair café",
        "summary": "Un camion aménagé collecte et revend des objets dans onze villages sans "
                   "déchèterie proche. La collecte a marché au-delà des attentes ; la vente "
                   "itinérante, beaucoup moins.",
        "context": _p("Dans le sud de la Touraine, les habitants faisaient jusqu'à 40 minutes "
                      "de route pour déposer un meuble. Beaucoup d'objets en bon état "
                      "finissaient dans les bennes des communes.",
                      "L'association voulait rapprocher le réemploi des villages plutôt que "
                      "d'ouvrir un grand magasin en ville."),
        "actors": _ul("L'association porteuse, trois salariés en insertion et une encadrante",
                      "La communauté de communes, qui prêtait les places de marché",
                      "Un garage solidaire qui a aménagé le camion d'occasion"),
        "resources": _p("Un camion de 20 m³ acheté d'occasion, un local de tri de 200 m², "
                        "un poste d'encadrante à mi-temps financé trois ans."),
        "budget_amount": "86000",
        "results": _p("La collecte a dépassé l'objectif dès la deuxième année. La vente sur "
                      "les marchés n'a jamais couvert les frais de carburant et de personnel."),
        "what_worked": _p("Les tournées de collecte à jour fixe : les habitants préparaient "
                          "leurs objets la veille. Le lien avec les mairies, qui relayaient "
                          "les dates dans leurs bulletins."),
        "what_did_not_work": _p("La vente itinérante : trop de manutention pour un chiffre "
                                "d'affaires de 150 € par marché en moyenne. L'hiver, les "
                                "marchés se vidaient et le camion restait au dépôt."),
        "lessons": _p("Séparer collecte et vente : collecter dans les villages, vendre dans "
                      "un lieu fixe. Nous aurions dû tester la vente trois mois avant "
                      "d'investir dans l'aménagement du camion."),
        "replication": _p("Un territoire rural sans déchèterie proche, une collectivité prête "
                          "à prêter des emplacements, un local de tri à moins de 20 km des "
                          "villages desservis."),
        "steps": [("Mars 2019", "Premières tournées", "Quatre villages, un samedi sur deux."),
                  ("2020", "Onze villages desservis", "Tournées hebdomadaires."),
                  ("Juin 2023", "Fin de la vente itinérante",
                   "La vente se replie sur la boutique de Loches.")],
        "figures": [("Objets collectés", "38", "t"), ("Villages desservis", "11", ""),
                    ("Chiffre d'affaires moyen par marché", "150", "€")],
    },
    {
        "slug": "epicerie-solidaire-etudiante-orleans",
        "title": "Une épicerie solidaire gérée par des étudiants",
        "commune": "45234", "themes": ["epiceries-solidaires", "consommation-responsable"],
        "outcome": OUT.SUCCESS, "started_on": date(2021, 1, 15), "ended_on": None,
        "organisation_name": "Collectif Panier Campus (fictif)",
        "initiative": "Épicerie solidaire", "event": "Permanence de l'épicerie solidaire",
        "summary": "Pendant la crise sanitaire, des étudiants ouvrent une épicerie à prix "
                   "réduits sur le campus. Trois ans plus tard, elle tient grâce à une "
                   "rotation bien organisée des bénévoles.",
        "context": _p("Les files d'attente aux distributions alimentaires de 2020 ont montré "
                      "l'ampleur de la précarité étudiante. L'université disposait d'un "
                      "local inoccupé près des résidences."),
        "actors": _ul("Une trentaine d'étudiants bénévoles par semestre",
                      "Le service de santé universitaire, qui oriente les bénéficiaires",
                      "Deux producteurs du Loiret et une banque alimentaire"),
        "resources": _p("Un local prêté, une subvention de démarrage, des dons de "
                        "mobilier. Aucun salarié."),
        "budget_amount": "12500",
        "results": _p("L'épicerie ouvre quatre demi-journées par semaine, toute l'année "
                      "universitaire."),
        "what_worked": _p("Un binôme de coordination renouvelé par moitié chaque semestre, "
                          "pour que les anciens forment les nouveaux."),
        "what_did_not_work": _p("Les fermetures d'été : sans bénévoles, l'épicerie ferme "
                                "deux mois alors que les besoins restent."),
        "lessons": _p("Écrire très tôt les procédures (commandes, caisse, hygiène) : c'est "
                      "ce qui a permis de survivre au départ des fondateurs."),
        "replication": _p("Un local sur le campus, un service universitaire partenaire pour "
                          "orienter les étudiants, un réseau d'approvisionnement local."),
        "steps": [("Janvier 2021", "Ouverture", "Deux demi-journées par semaine."),
                  ("Septembre 2022", "Passage de relais", "Les fondateurs diplômés partent.")],
        "figures": [("Étudiants inscrits", "640", ""), ("Remise moyenne", "60", "%")],
    },
    {
        "slug": "toitures-solaires-citoyennes-berry",
        "title": "Des toitures solaires financées par les habitants du Berry",
        "commune": "18033",
        "themes": ["energies-renouvelables-citoyennes", "epargne-financement-solidaires"],
        "outcome": OUT.SUCCESS, "started_on": date(2017, 9, 1), "ended_on": None,
        "organisation_name": "SCIC Soleil du Cher (fictive)",
        "initiative": "Énergies citoyennes", "event": "Formation : créer une SCIC",
        "summary": "Une coopérative installe des panneaux sur les toits d'écoles et de "
                   "gymnases, avec l'épargne de plusieurs centaines d'habitants.",
        "context": _p("Des habitants voulaient que l'argent de l'énergie reste sur le "
                      "territoire. Les communes avaient des toitures mais pas de budget."),
        "actors": _ul("Des habitants sociétaires", "Cinq communes qui louent leurs toits",
                      "Un réseau régional d'énergie citoyenne pour l'accompagnement"),
        "resources": _p("Du capital citoyen, un prêt bancaire et beaucoup de bénévolat "
                        "technique les premières années."),
        "budget_amount": "420000",
        "results": _p("Douze toitures équipées ; la coopérative rémunère modestement son "
                      "capital depuis la quatrième année."),
        "what_worked": _p("Commencer petit : une première toiture visible, sur l'école, a "
                          "convaincu bien plus que toutes les réunions publiques."),
        "what_did_not_work": _p("Les délais de raccordement, souvent supérieurs à un an, ont "
                                "découragé une partie des bénévoles."),
        "lessons": _p("Prévoir un salarié dès que le projet dépasse cinq toitures : le "
                      "bénévolat seul s'épuise."),
        "replication": _p("Des bâtiments publics bien orientés, des élus convaincus, un "
                          "noyau d'habitants prêts à porter le projet plusieurs années."),
        "steps": [("2017", "Création de la SCIC", ""),
                  ("2018", "Première toiture", "L'école élémentaire."),
                  ("2022", "Premier salarié", "")],
        "figures": [("Sociétaires", "410", ""), ("Production annuelle", "480", "MWh")],
    },
    {
        "slug": "monnaie-locale-qui-na-pas-pris",
        "title": "Une monnaie locale qui n'a pas pris",
        "commune": "36044", "themes": ["monnaies-locales"],
        "outcome": OUT.INSTRUCTIVE_FAILURE, "started_on": date(2016, 5, 1),
        "ended_on": date(2020, 12, 31),
        "organisation_name": "Association Le Berrichon (fictive)",
        "initiative": "Monnaie locale", "event": "",
        "summary": "Quatre ans d'efforts pour une monnaie complémentaire, puis la dissolution. "
                   "Les bénévoles racontent pourquoi, pour que d'autres évitent les mêmes "
                   "écueils.",
        "context": _p("Un groupe de citoyens voulait soutenir les commerces du centre-ville "
                      "face aux zones commerciales."),
        "actors": _ul("Une vingtaine de bénévoles", "Soixante commerces adhérents au départ"),
        "resources": _p("Des billets imprimés grâce à une souscription, un comptoir de "
                        "change dans une librairie."),
        "budget_amount": "9000",
        "results": _p("La masse en circulation n'a jamais dépassé 15 000 unités ; beaucoup "
                      "de billets dormaient chez les commerçants."),
        "what_worked": _p("La sensibilisation : les débats sur la monnaie ont rempli les "
                          "salles et créé un réseau de commerçants qui a survécu au projet."),
        "what_did_not_work": _p("Les commerçants ne pouvaient pas dépenser la monnaie chez "
                                "leurs fournisseurs : elle revenait au comptoir de change. Pas "
                                "de version numérique, alors que le paiement par carte "
                                "devenait la norme pendant la crise sanitaire."),
        "lessons": _p("Recruter d'abord les fournisseurs et les producteurs, ensuite les "
                      "commerces. Prévoir un paiement numérique dès le départ."),
        "replication": _p("Nous conseillons de rejoindre une monnaie existante à l'échelle "
                          "départementale plutôt que d'en créer une par ville."),
        "steps": [("Mai 2016", "Lancement", "Soixante commerces adhérents."),
                  ("2019", "Essoufflement", "Vingt commerces encore actifs."),
                  ("Décembre 2020", "Dissolution", "Les fonds de garantie sont reversés.")],
        "figures": [("Commerces adhérents au départ", "60", ""),
                    ("Commerces actifs à la fin", "14", "")],
    },
    {
        "slug": "atelier-velo-quartier-blois",
        "title": "Un atelier vélo participatif au pied des immeubles",
        "commune": "41018", "themes": ["ateliers-velo", "mobilite-solidaire"],
        "outcome": OUT.SUCCESS, "started_on": date(2018, 4, 1), "ended_on": None,
        "organisation_name": "Atelier Roue Libre (fictif)",
        "initiative": "Atelier vélo", "event": "Atelier vélo du mardi",
        "summary": "Dans un ancien local de gardien, les habitants apprennent à réparer leur "
                   "vélo eux-mêmes ; une vélo-école pour adultes a suivi.",
        "context": _p("Dans le quartier, beaucoup d'habitants n'ont pas de voiture et les "
                      "vélos abandonnés s'entassaient dans les caves."),
        "actors": _ul("Le bailleur social, qui prête le local",
                      "Une association d'éducation populaire", "Des habitants bénévoles"),
        "resources": _p("Un local de 40 m², de l'outillage d'occasion, un animateur à "
                        "temps partiel."),
        "budget_amount": "31000",
        "results": _p("Plus de 300 vélos remis en circulation, dont la moitié récupérés "
                      "dans les caves du bailleur."),
        "what_worked": _p("Ouvrir à heures fixes, même avec peu de monde au début. Les "
                          "enfants ont amené leurs parents."),
        "what_did_not_work": _p("La vente de vélos reconditionnés : trop de temps passé "
                                "pour des prix que le quartier ne pouvait pas payer. Nous "
                                "les prêtons désormais."),
        "lessons": _p("Le prêt de longue durée sert mieux le quartier que la vente."),
        "replication": _p("Un bailleur ou une commune prêts à fournir un local en "
                          "rez-de-chaussée, au cœur des logements."),
        "steps": [("Avril 2018", "Ouverture", "Le mercredi après-midi."),
                  ("2021", "Vélo-école pour adultes", "Avec une auto-école sociale.")],
        "figures": [("Vélos remis en circulation", "312", ""),
                    ("Adultes formés à la vélo-école", "58", "")],
    },
    {
        "slug": "tiers-lieu-rural-vendome",
        "title": "Un tiers-lieu dans une ancienne gare",
        "commune": "41269", "themes": ["tiers-lieux", "culture"],
        "outcome": OUT.PARTIAL, "started_on": date(2019, 9, 1), "ended_on": None,
        "organisation_name": "SCIC La Gare Commune (fictive)",
        "initiative": "Tiers-lieu", "event": "Assemblée des tiers-lieux",
        "summary": "Café associatif, fablab et bureaux partagés dans une gare désaffectée. "
                   "Le lieu est vivant, mais son modèle économique reste fragile.",
        "context": _p("La commune cherchait une nouvelle vie pour la gare ; des "
                      "indépendants cherchaient où travailler hors de chez eux."),
        "actors": _ul("La commune, propriétaire", "Une SCIC de 90 sociétaires",
                      "Des associations culturelles résidentes"),
        "resources": _p("Travaux financés par la commune et la région ; deux salariés."),
        "budget_amount": "250000",
        "results": _p("Le café et la programmation attirent du monde ; les bureaux "
                      "partagés restent à moitié vides."),
        "what_worked": _p("La programmation culturelle, co-construite avec les associations "
                          "résidentes."),
        "what_did_not_work": _p("Les bureaux partagés : la demande avait été surestimée à "
                                "partir d'un questionnaire en ligne."),
        "lessons": _p("Tester chaque activité à petite échelle avant de l'inscrire dans le "
                      "plan de financement."),
        "replication": _p("Un bâtiment public disponible, un portage politique durable, des "
                          "activités déjà existantes à accueillir."),
        "steps": [("2019", "Préfiguration", "Ouvertures éphémères l'été."),
                  ("2021", "Ouverture après travaux", "")],
        "figures": [("Sociétaires", "90", ""), ("Taux d'occupation des bureaux", "45", "%")],
    },
    {
        "slug": "garage-solidaire-vierzon",
        "title": "Un garage solidaire pour retrouver un emploi",
        "commune": "18279", "themes": ["mobilite-solidaire", "insertion-activite-economique"],
        "outcome": OUT.SUCCESS, "started_on": date(2015, 2, 1), "ended_on": None,
        "organisation_name": "Garage Solid'Auto (fictif)",
        "initiative": "Garage solidaire", "event": "",
        "summary": "Réparations à prix coûtant et location de voitures à 5 € par jour pour "
                   "les personnes qui reprennent un emploi ou une formation.",
        "context": _p("Sans voiture, de nombreux demandeurs d'emploi refusaient des postes "
                      "en horaires décalés, mal desservis par les transports."),
        "actors": _ul("Un chantier d'insertion en mécanique", "Les prescripteurs de l'emploi",
                      "Le département, financeur"),
        "resources": _p("Un atelier de quatre postes, une flotte de douze voitures "
                        "d'occasion, des mécaniciens encadrants."),
        "budget_amount": "190000",
        "results": _p("Sept personnes sur dix ayant loué une voiture occupaient un emploi "
                      "six mois plus tard."),
        "what_worked": _p("La location courte, le temps du premier salaire, plutôt que le "
                          "prêt d'un véhicule sans limite de durée."),
        "what_did_not_work": _p("Les assurances : deux sinistres la première année ont fait "
                                "tripler la prime. Il a fallu changer d'assureur."),
        "lessons": _p("Négocier l'assurance de la flotte avec un assureur de l'économie "
                      "sociale dès le départ."),
        "replication": _p("Un bassin d'emploi étendu, mal desservi, et des prescripteurs "
                          "prêts à orienter les personnes."),
        "steps": [("2015", "Ouverture de l'atelier", ""), ("2017", "Location de voitures", "")],
        "figures": [("Personnes en emploi six mois après", "70", "%"),
                    ("Voitures en location", "12", "")],
    },
    {
        "slug": "jardin-partage-chartres-abandonne",
        "title": "Un jardin partagé abandonné au bout de deux saisons",
        "commune": "28085", "themes": ["jardins-partages"],
        "outcome": OUT.ABANDONED, "started_on": date(2020, 3, 1), "ended_on": date(2021, 10, 31),
        "organisation_name": "Collectif des Jardiniers du Quartier (fictif)",
        "initiative": "", "event": "Jardin partagé",
        "summary": "Un jardin partagé ouvert sur une friche prêtée par la ville, puis rendu. "
                   "Ce que le collectif aurait dû vérifier avant de planter.",
        "context": _p("Des voisins voulaient cultiver ensemble une friche au bout de la rue."),
        "actors": _ul("Une quinzaine d'habitants", "La ville, qui prêtait le terrain"),
        "resources": _p("Un terrain de 800 m², une convention d'un an renouvelable, des "
                        "outils donnés."),
        "budget_amount": "1200",
        "results": _p("Deux saisons de récolte, puis l'arrêt."),
        "what_worked": _p("Les chantiers collectifs du samedi, qui ont fait se rencontrer des "
                          "voisins qui ne se parlaient pas."),
        "what_did_not_work": _p("Il n'y avait pas d'eau sur le terrain : porter des bidons "
                                "a épuisé les bénévoles pendant l'été 2021. Le sol, pollué, a "
                                "obligé à cultiver hors-sol."),
        "lessons": _p("Faire analyser le sol et vérifier l'accès à l'eau avant de signer la "
                      "convention."),
        "replication": _p("Un terrain avec un point d'eau, un sol analysé, une convention de "
                          "plusieurs années."),
        "steps": [("Mars 2020", "Premiers chantiers", ""),
                  ("Octobre 2021", "Fin de la convention", "Le collectif rend le terrain.")],
        "figures": [("Jardiniers au plus fort", "15", "")],
    },
    {
        "slug": "cooperative-activite-emploi-tours",
        "title": "Une coopérative d'activité et d'emploi pour les métiers du soin",
        "commune": "37261", "themes": ["cooperatives", "aide-soin-domicile"],
        "outcome": OUT.ONGOING, "started_on": date(2022, 1, 1), "ended_on": None,
        "organisation_name": "CAE Prendre Soin (fictive)",
        "initiative": "Coopérative d'activité", "event": "Journée portes ouvertes des coopératives",
        "summary": "Des aides à domicile indépendantes se regroupent en coopérative pour "
                   "sortir de l'isolement et mutualiser la gestion. Premier bilan à mi-chemin.",
        "context": _p("Les aides à domicile en micro-entreprise travaillaient seules, sans "
                      "remplacement ni formation."),
        "actors": _ul("Vingt-deux entrepreneures salariées",
                      "Une fédération de coopératives d'activité",
                      "Des services sociaux qui orientent les familles"),
        "resources": _p("Une équipe d'appui de deux personnes, un logiciel de planning "
                        "partagé."),
        "budget_amount": "140000",
        "results": _p("Les remplacements entre coopératrices fonctionnent ; le chiffre "
                      "d'affaires ne couvre pas encore l'équipe d'appui."),
        "what_worked": _p("Les réunions mensuelles de pratiques, très attendues."),
        "what_did_not_work": _p("Le logiciel de planning, choisi trop vite, a dû être "
                                "abandonné au bout de six mois."),
        "lessons": _p("Associer les coopératrices au choix des outils."),
        "replication": _p("Un vivier de professionnelles indépendantes et un accompagnement "
                          "par une coopérative d'activité existante."),
        "steps": [("Janvier 2022", "Création", "Huit coopératrices."),
                  ("2024", "Vingt-deux coopératrices", "")],
        "figures": [("Coopératrices", "22", "")],
    },
    {
        "slug": "cantine-bio-locale-montargis",
        "title": "Des produits locaux à la cantine, grâce à une plateforme de producteurs",
        "commune": "45208", "themes": ["circuits-courts", "alimentation-agriculture"],
        "outcome": OUT.PARTIAL, "started_on": date(2018, 9, 1), "ended_on": None,
        "organisation_name": "Association Producteurs du Gâtinais (fictive)",
        "initiative": "AMAP", "event": "",
        "summary": "Quinze producteurs s'organisent pour livrer les cantines scolaires. Les "
                   "légumes ont trouvé leur place, la viande beaucoup moins.",
        "context": _p("Les cantines voulaient plus de produits locaux mais ne pouvaient pas "
                      "traiter avec quinze fournisseurs différents."),
        "actors": _ul("Quinze fermes", "Trois communes et leurs cuisiniers",
                      "Une légumerie d'insertion"),
        "resources": _p("Une plateforme de commandes commune, un camion frigorifique "
                        "partagé, un poste de coordination."),
        "budget_amount": "98000",
        "results": _p("Un tiers des légumes servis viennent des fermes partenaires."),
        "what_worked": _p("La légumerie, qui livre des légumes épluchés : les cuisiniers "
                          "n'avaient pas le temps de les préparer."),
        "what_did_not_work": _p("La viande : les volumes et les découpes demandés par les "
                                "cantines ne correspondaient pas aux élevages locaux."),
        "lessons": _p("Partir des contraintes des cuisines, pas seulement de l'offre des "
                      "producteurs."),
        "replication": _p("Une légumerie ou un atelier de transformation, des cuisiniers "
                          "partants, un coordinateur qui parle aux deux mondes."),
        "steps": [("2018", "Premières livraisons", "Deux écoles."),
                  ("2020", "Légumerie", "Les légumes arrivent prêts à cuisiner.")],
        "figures": [("Fermes partenaires", "15", ""), ("Part des légumes locaux", "33", "%")],
    },
]  # fmt: skip


def load_demo(out) -> None:
    index = ensure_index_page()
    if index is None:
        out.write("Experiences: no Wagtail site, skipped.")
        return
    existing = set(ExperiencePage.objects.values_list("slug", flat=True))
    created = 0
    for data in SHEETS:
        if data["slug"] not in existing:
            with transaction.atomic():
                _create(index, data)
            created += 1
    out.write(f"Experiences: {created} sheets created ({len(SHEETS)} in the demo).")


def _create(index, data: dict) -> ExperiencePage:
    page = ExperiencePage(
        title=data["title"], slug=data["slug"], summary=data["summary"],
        outcome=data["outcome"], started_on=data["started_on"], ended_on=data["ended_on"],
        organisation_name=data["organisation_name"], budget_amount=data["budget_amount"],
        commune=Commune.objects.filter(code=data["commune"]).first(),
        initiative=_initiative(data["initiative"], data["commune"]),
        **{name: data[name] for name in ExperiencePage.RICH_TEXT_FIELDS},
    )  # fmt: skip
    page.timeline = [("step", {"period": p, "title": t, "text": x}) for p, t, x in data["steps"]]
    page.key_figures = [
        ("figure", {"label": label, "value": value, "unit": unit})
        for label, value, unit in data["figures"]
    ]
    page.themes = list(Theme.objects.filter(slug__in=data["themes"]))
    if event := _event(data["event"]):
        page.event_links = [ExperienceEvent(event=event)]
    if member := _demo_member():
        page.co_editors = [ExperienceCoEditor(user=member)]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _initiative(prefix: str, commune_code: str) -> Initiative | None:
    if not prefix:
        return None
    found = Initiative.objects.public().filter(name__startswith=prefix)
    return found.filter(commune__code=commune_code).first() or found.order_by("pk").first()


def _event(prefix: str) -> Event | None:
    if not prefix:
        return None
    return Event.objects.public().filter(title__startswith=prefix).order_by("start").first()


def _demo_member():
    from essaim.accounts.demo import demo_email
    from essaim.accounts.models import User

    return User.objects.filter(email=demo_email("membre")).first()
