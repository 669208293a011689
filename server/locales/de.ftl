# Die Oberfläche von Revier auf Deutsch. Jeder Text einer Seite hat hier und in en.ftl einen
# Schlüssel (der Test `both_languages_have_the_same_keys` vergleicht beide). Abschnitte nach
# Funktion; die Schlüssel einer Funktion stehen in ihrem Abschnitt.

## Layout (every page)
site-skip = Zum Inhalt springen
nav-label = Hauptnavigation
nav-home = Start
nav-calendar = Kalender
nav-projects = Projekte
nav-organizations = Organisationen
nav-search = Suche
nav-signin = Anmelden
nav-signout = Abmelden
nav-dashboard = Übersicht
nav-admin = Verwaltung
nav-moderation = Moderation
moderators-only = Nur Moderatorinnen, Moderatoren und Administratoren dürfen diese Seite öffnen.
nav-account = Konto
lang-switch = Sprache
footer-about = Über diese Instanz
footer-software = Läuft mit Revier, freie Software unter der AGPL.
footer-api = API

## Errors and forms (shared)
error-title = Etwas ist schiefgegangen
error-status = Fehler { $status }
error-back = Zur Startseite
error-not-found = Diese Seite gibt es nicht.
error-internal = Der Server hat einen Fehler gemacht. Die Administration findet die Ursache im Protokoll unter der Kennung { $id }.
form-errors-heading = Bitte korrigieren Sie Folgendes:
form-csrf = Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.
form-required = Pflichtfeld
form-save = Speichern
form-cancel = Abbrechen
form-delete = Löschen
form-preview = Vorschau
form-optional = optional

## Sign-in
signin-title = Anmelden
signin-login = Benutzername oder E-Mail-Adresse
signin-password = Passwort
signin-submit = Anmelden
signin-wrong = Name oder E-Mail-Adresse oder Passwort sind falsch.
signin-limited = Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.
signin-disabled = Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration.
signin-forgot = Passwort vergessen?
signin-no-admin = Diese Instanz hat noch keine Administration. Legen Sie das erste Admin-Konto im Terminal des Servers an:
signout-done = Sie sind abgemeldet.
done-signed-out = Sie sind abgemeldet.
admin-only = Diese Seite ist der Administration vorbehalten.

## Home page and organization pages
home-title = Startseite
home-intro = Projekte, Veranstaltungen und Mitteilungen der regionalen Open-Source-Gemeinschaft, im Fediverse abonnierbar.
home-no-admin = Diese Instanz hat noch keine Administration. Legen Sie das erste Administrationskonto im Terminal des Servers an (das Passwort wird von der Standardeingabe gelesen):
home-events = Veranstaltungen der nächsten { $days } Tage
home-no-events = In den nächsten Tagen finden keine Veranstaltungen statt.
home-all-events = Alle Veranstaltungen im Kalender
home-ics = Kalender abonnieren (iCal)
home-announcements = Neueste Mitteilungen
home-no-announcements = Noch keine Mitteilungen.
home-feed = Mitteilungen als Feed (Atom)
home-projects = Projekte
home-featured = Empfohlen
home-recent-projects = Kürzlich aktualisiert
home-no-projects = Noch keine Projekte.
home-all-projects = Alle Projekte im Verzeichnis
home-orgs = Organisationen
home-no-orgs = Noch keine Organisationen.
home-all-orgs = Alle Organisationen
orgs-title = Organisationen
orgs-intro = Die Organisationen, die auf dieser Instanz veröffentlichen.
org-logo-alt = Logo von { $name }
org-counts = { $followers ->
    [one] eine folgende Person
   *[other] { $followers } Folgende
  } · { $projects ->
    [one] ein Projekt
   *[other] { $projects } Projekte
  } · { $events ->
    [one] eine anstehende Veranstaltung
   *[other] { $events } anstehende Veranstaltungen
  } · { $announcements ->
    [one] eine Mitteilung
   *[other] { $announcements } Mitteilungen
  }
org-sections = Abschnitte dieser Seite
org-announcements = Mitteilungen
org-no-announcements = Noch keine Mitteilungen.
org-feed = Mitteilungen als Feed (Atom)
org-events = Anstehende Veranstaltungen
org-no-events = Keine anstehenden Veranstaltungen.
org-ics = Veranstaltungen als Kalender (iCal)
org-calendar = Veranstaltungen im Kalender
org-projects = Projekte
org-no-projects = Noch keine Projekte.
org-directory = Projekte im Verzeichnis
actor-organization = Organisation
actor-person = Person
actor-instance = Instanz
actor-followers = { $n ->
    [one] eine folgende Person
   *[other] { $n } Folgende
  }
note-title = Mitteilung von { $author }
note-edited = bearbeitet
note-about = Zum Thema:
tag-heading = Mitteilungen mit dem Schlagwort #{ $tag }
list-empty = Hier ist noch nichts.
list-event-cancelled = abgesagt
list-event-online = online
list-pages = Seiten
list-prev = Vorige Seite
list-next = Nächste Seite



## Calendar and event pages
cal-title = Veranstaltungen
cal-views = Kalenderansichten
cal-view-list = Liste
cal-view-month = Monat
cal-filter = Veranstaltungen filtern
cal-org = Organisation
cal-any = Alle
cal-tag = Schlagwort
cal-category = Kategorie
cal-place = Ort
cal-place-hint = Eine Stadt, z. B. Dortmund
cal-online-only = Nur Online-Veranstaltungen
cal-from = Von
cal-to = Bis
cal-apply = Veranstaltungen zeigen
cal-reset = Filter entfernen
cal-ics = Zum Kalender hinzufügen (iCal)
cal-feed = Nachrichten-Feed (Atom)
cal-embed = Diesen Kalender einbinden
cal-months = Monate
cal-more = { $n ->
    [one] eine weitere Veranstaltung
   *[other] { $n } weitere Veranstaltungen
}
cal-month-prev = Voriger Monat: { $month }
cal-month-next = Nächster Monat: { $month }
cal-month-empty = Keine Veranstaltungen in diesem Monat.
cal-upcoming = Kommende Veranstaltungen
cal-none = Keine kommenden Veranstaltungen gefunden.
cal-pages = Seiten
cal-page-prev = Frühere Veranstaltungen
cal-page-next = Spätere Veranstaltungen
cal-error-date = Bitte geben Sie ein Datum wie 2026-10-24 ein.
cal-error-range = Das Enddatum liegt vor dem Anfangsdatum.
cal-weekday-1 = Mo
cal-weekday-2 = Di
cal-weekday-3 = Mi
cal-weekday-4 = Do
cal-weekday-5 = Fr
cal-weekday-6 = Sa
cal-weekday-7 = So
cal-from-server = von { $server }
cal-online = online
cal-by = von
event-status-tentative = Vorläufig
event-status-cancelled = Abgesagt
event-status-postponed = Verschoben
event-status-rescheduled = Neu angesetzt
event-status-moved-online = Findet online statt
event-when = Wann
event-next-date = Nächster Termin
event-repeats = Diese Veranstaltung wiederholt sich.
event-past = Diese Veranstaltung ist vorbei.
event-place = Ort
event-map = Auf OpenStreetMap zeigen
event-online = Online
event-organizer = Veranstaltet von
event-projects = Zugehörige Projekte
event-participation = Teilnahme
event-participants =
    { $n ->
        [one] 1 Teilnehmerin oder Teilnehmer
       *[other] { $n } Teilnehmende
    }
event-participants-of = { $n } von { $capacity } Plätzen belegt
event-join-free = offen für alle
event-join-restricted = die Veranstaltenden bestätigen die Teilnahme
event-join-external = Anmeldung an anderer Stelle
event-join-invite = nur mit Einladung
event-register = Anmelden
event-topics = Themen
event-ics = Zum Kalender hinzufügen (iCal)
event-all = Alle Veranstaltungen
event-tz-label = Die Zeit auch in dieser Zeitzone zeigen
event-tz-none = Keine
event-tz-apply = Zeigen
category-arts = Kunst
category-book-clubs = Lesekreise
category-business = Wirtschaft
category-causes = Engagement
category-comedy = Comedy
category-crafts = Handwerk und Basteln
category-food-drink = Essen und Trinken
category-health = Gesundheit
category-music = Musik
category-auto-boat-air = Auto, Boot und Flug
category-community = Gemeinschaft
category-family-education = Familie und Bildung
category-fashion-beauty = Mode und Schönheit
category-film-media = Film und Medien
category-games = Spiele
category-language-culture = Sprache und Kultur
category-learning = Lernen
category-lgbtq = LGBTQ
category-movements-politics = Bewegungen und Politik
category-networking = Netzwerken
category-party = Feiern
category-performing-visual-arts = Darstellende und bildende Kunst
category-pets = Haustiere
category-photography = Fotografie
category-outdoors-adventure = Natur und Abenteuer
category-spirituality-religion-beliefs = Spiritualität, Religion und Weltanschauung
category-science-tech = Wissenschaft und Technik
category-sports = Sport
category-theatre = Theater
category-meeting = Treffen
comments-heading = Kommentare
comments-pages = Seiten der Kommentare
comments-older = Frühere Kommentare
comments-newer = Spätere Kommentare
comments-closed = Kommentare sind geschlossen.



## Project directory and project pages
directory-title = Projekte
directory-intro = Open-Source-Projekte der Region und wer sie pflegt.
directory-filters = Projekte filtern
directory-license = Lizenz
directory-topic = Thema
directory-language = Programmiersprache
directory-status = Entwicklungsstand
directory-org = Pflegende Organisation
directory-any = alle
directory-apply = Projekte anzeigen
directory-reset = Filter zurücksetzen
directory-results = Gefundene Projekte
directory-none = Kein Projekt passt zu diesen Filtern.
directory-status-concept = Konzept
directory-status-development = in Entwicklung
directory-status-beta = Beta
directory-status-stable = stabil
directory-status-obsolete = veraltet
project-logo-alt = Logo von { $name }
project-featured = empfohlen
project-facts = Steckbrief
project-org = Organisation
project-status = Entwicklungsstand
project-license = Lizenz
project-maintenance = Wartung
project-maintenance-internal = vom Eigentümer gepflegt
project-maintenance-contract = im Auftrag gepflegt
project-maintenance-community = von einer Gemeinschaft gepflegt
project-maintenance-none = nicht gepflegt
project-software-type = Art der Software
project-platforms = Plattformen
project-languages = Programmiersprachen
project-topics = Themen
project-funders = Gefördert von
project-users = Genutzt von
project-awards = Auszeichnungen
project-links = Links
project-repository = Quellcode-Repository
project-website = Website und Dokumentation
project-source = Herkunft der publiccode.yml
project-maintainers = Gepflegt von
project-confirmed = bestätigt
project-claimed = beansprucht, nicht bestätigt
project-releases = Versionen
project-events = Veranstaltungen zu diesem Projekt
project-no-events = Keine anstehenden Veranstaltungen zu diesem Projekt.
project-announcements = Mitteilungen zu diesem Projekt
project-no-announcements = Noch keine Mitteilungen zu diesem Projekt.
project-feature = Auf der Startseite empfehlen
project-unfeature = Nicht mehr auf der Startseite empfehlen
done-project-featured = Das Projekt wird auf der Startseite empfohlen.
done-project-unfeatured = Das Projekt wird nicht mehr auf der Startseite empfohlen.



## Search
search-title = Suche
search-label = Suchen nach
search-hint = Organisationen, Projekte, Veranstaltungen und Ankündigungen, von dieser Instanz und den Servern, denen sie folgt. Deutsche und englische Wortformen werden mitgefunden.
search-submit = Suchen
search-kind-label = Anzeigen
search-filter-label = Ergebnisse nach Art filtern
search-kind-all = Alle
search-kind-organization = Organisationen
search-kind-project = Projekte
search-kind-event = Veranstaltungen
search-kind-announcement = Ankündigungen
search-type-organization = Organisation
search-type-project = Projekt
search-type-event = Veranstaltung
search-type-announcement = Ankündigung
search-remote = von einem anderen Server
search-empty = Geben Sie ein oder mehrere Wörter ein.
search-none = Nichts gefunden für „{ $q }“. Versuchen Sie weniger oder andere Wörter oder eine andere Art.
search-count = { $n ->
    [one] Ein Ergebnis für „{ $q }“
   *[other] { $n } Ergebnisse für „{ $q }“
}
search-pages-label = Ergebnisseiten
search-prev = Vorherige Seite
search-next = Nächste Seite
search-page = Seite { $n }



## Embedded calendar
embed-title = Kommende Veranstaltungen
embed-none = Keine kommenden Veranstaltungen.
embed-more = Der ganze Kalender
embed-frame-title = Kommende Veranstaltungen
embed-gen-title = Den Kalender in Ihre Website einbinden
embed-gen-intro = Wählen Sie, was der Kalender zeigt, und kopieren Sie dann den Code in Ihre Webseite. Besucher sehen die nächsten Veranstaltungen und öffnen sie hier in einem neuen Tab.
embed-gen-lang = Sprache
embed-gen-limit = Anzahl der Veranstaltungen
embed-gen-make = Code erzeugen
embed-gen-code = Code für Ihre Webseite
embed-gen-copy = Kopieren Sie diesen Code in Ihre Seite
embed-gen-preview = Vorschau des eingebundenen Kalenders



## Follow and interact
interact-title = Folgen oder interagieren
interact-intro-actor = Folgen Sie { $name } von Ihrem eigenen Server im Fediverse (Mastodon, Friendica, Misskey und andere).
interact-intro-object = Antworten Sie auf „{ $name }“, markieren oder teilen Sie es von Ihrem eigenen Server im Fediverse (Mastodon, Friendica, Misskey und andere).
interact-view = Hier ansehen.
interact-copy-handle = Handle zum Suchen auf Ihrem Server
interact-copy-uri = Adresse zum Einfügen in die Suche Ihres Servers
interact-handle-label = Ihr Handle
interact-handle-hint = Ihre Adresse im Fediverse, etwa @name@example.social. Wir fragen Ihren Server, wohin wir Sie schicken sollen, und leiten Sie dorthin weiter.
interact-submit = Auf meinem Server fortfahren
interact-error-handle = Bitte geben Sie Ihr Handle in der Form @name@server ein, etwa @anna@example.social.
interact-error-unknown = Ihr Server kennt das Handle { $handle } nicht. Bitte prüfen Sie die Schreibweise.
interact-error-no-template = Ihr Server { $server } bietet keine Möglichkeit, von außen zu folgen oder zu interagieren. Bitte suchen Sie stattdessen auf Ihrem Server nach der Adresse oben.
interact-error-unreachable = Ihr Server { $server } war nicht erreichbar. Bitte versuchen Sie es später noch einmal oder suchen Sie auf Ihrem Server nach der Adresse oben.
interact-error-limited = Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.
interact-box-heading = Folgen oder interagieren
interact-box-handle = Suchen Sie auf Ihrem Server nach diesem Handle:
interact-box-link = Von Ihrem eigenen Server folgen oder interagieren



## Dashboard and organizations (members)
dash-title = Übersicht
dash-your-orgs = Ihre Organisationen
dash-no-orgs = Sie sind noch in keiner Organisation Mitglied. Legen Sie eine an oder bitten Sie eine Eigentümerin oder einen Eigentümer um eine Einladung.
dash-create-org = Organisation anlegen
dash-pending-follows = { $n ->
    [0] Keine Folgeanfragen offen
    [one] Eine Folgeanfrage offen
   *[other] { $n } Folgeanfragen offen
}
dash-new-comments = { $n ->
    [0] Keine neuen Kommentare in dieser Woche
    [one] Ein neuer Kommentar in dieser Woche
   *[other] { $n } neue Kommentare in dieser Woche
}
dash-publish = Veröffentlichen
dash-new-announcement = Ankündigung schreiben
dash-new-event = Veranstaltung anlegen
dash-new-project = Projekt hinzufügen
dash-edit-org = Profil bearbeiten
dash-members = Mitglieder und Einladungen
orgs-tabs = Organisation verwalten
orgs-tab-profile = Profil
orgs-tab-announcements = Mitteilungen
orgs-tab-events = Veranstaltungen
orgs-tab-projects = Projekte
orgs-tab-members = Mitglieder
orgs-tab-followers = Follower
orgs-tab-comments = Kommentare
orgs-forbidden = Das dürfen Sie für diese Organisation nicht: Eigentümer/innen und die Redaktion bearbeiten sie, nur Eigentümer/innen verwalten die Mitglieder.
orgs-role-owner = Eigentümer/in
orgs-role-editor = Redakteur/in
orgs-new-title = Organisation anlegen
orgs-name = Name
orgs-slug = Kurzname (Adresse)
orgs-slug-hint = Kleinbuchstaben a–z, Ziffern und _, dazwischen auch . oder -. Daraus wird die Adresse @name; sie lässt sich später nicht ändern.
orgs-create = Organisation anlegen
orgs-err-slug = Bitte wählen Sie einen Kurznamen aus Kleinbuchstaben a–z, Ziffern und _, mit . oder - nur dazwischen.
orgs-err-slug-taken = Dieser Kurzname ist schon vergeben. Bitte wählen Sie einen anderen.
orgs-err-name = Bitte geben Sie einen Namen mit 1 bis 200 Zeichen ein.
orgs-err-fields = Höchstens 50 Profilfelder, Namen bis 255 und Werte bis 2047 Zeichen.
orgs-err-image = Das Bild konnte nicht gespeichert werden.
orgs-err-image-missing = Bitte wählen Sie eine Bilddatei aus.
orgs-err-alt = Bitte beschreiben Sie das Bild (Alternativtext, 1 bis 1500 Zeichen).
orgs-edit-title = Organisation
orgs-profile = Profil
orgs-summary = Beschreibung
orgs-summary-hint = Markdown: **fett**, *kursiv*, [Links](https://example.org), #Hashtags.
orgs-fields = Profilfelder
orgs-fields-hint = Paare aus Name und Wert, etwa „Website“ und eine Adresse. Lassen Sie eine Zeile leer, um sie zu entfernen.
orgs-field-name = Name von Feld { $n }
orgs-field-value = Wert von Feld { $n }
orgs-manual = Follower von Hand bestätigen
orgs-manual-hint = Neue Follower warten, bis eine Eigentümerin, ein Eigentümer oder jemand aus der Redaktion sie auf der Follower-Seite bestätigt.
orgs-images = Logo und Titelbild
orgs-logo = Logo
orgs-header = Titelbild
orgs-image-file = Bilddatei (PNG, JPEG, WebP oder GIF)
orgs-image-alt = Alternativtext
orgs-image-alt-hint = Beschreiben Sie, was das Bild zeigt, für Menschen, die es nicht sehen können.
orgs-image-upload = Hochladen
orgs-members-title = Mitglieder
orgs-members-list = Mitglieder und Rollen
orgs-members-name = Name
orgs-members-role = Rolle
orgs-members-actions = Aktionen
orgs-members-role-of = Rolle von { $name }
orgs-members-change-role = Rolle ändern
orgs-members-remove = { $name } entfernen
orgs-members-last-owner = Eine Organisation behält mindestens eine Eigentümerin oder einen Eigentümer: Machen Sie zuerst ein anderes Mitglied dazu.
orgs-invite-heading = Jemanden einladen
orgs-invite-hint = Eine Einladung ist ein Link, der einmal und zwei Wochen lang gilt. Mit einer E-Mail-Adresse wird er dorthin geschickt.
orgs-invite-email = E-Mail-Adresse
orgs-invite-create = Einladung erstellen
orgs-invite-err-email = Bitte geben Sie eine E-Mail-Adresse wie name@example.org ein oder lassen Sie das Feld leer.
orgs-invite-link = Einladungslink
orgs-invite-mailed = Die Einladung wurde per E-Mail verschickt. Sie können auch diesen Link weitergeben:
orgs-invite-pass-on = Bitte geben Sie diesen Link selbst weiter (diese Instanz verschickt keine E-Mails). Er wird nur jetzt angezeigt.
orgs-invite-pending = Offene Einladungen
orgs-invite-none = Keine offenen Einladungen.
orgs-invite-expires = Gültig bis
orgs-invite-by-link = Nur Link
orgs-invite-revoke = Zurückziehen
orgs-invite-title = Einladung
orgs-invite-to-owner = Sie sind eingeladen, Eigentümer/in von { $org } zu werden.
orgs-invite-to-editor = Sie sind eingeladen, in der Redaktion von { $org } mitzuarbeiten.
orgs-invite-accept = Einladung annehmen
orgs-invite-unusable = Diese Einladung lässt sich nicht verwenden: Sie wurde schon benutzt, zurückgezogen oder ist abgelaufen. Bitte fragen Sie nach einer neuen.
orgs-invite-mail-subject = Einladung zu { $org }
orgs-invite-mail-text = Sie sind eingeladen, für { $org } auf { $instance } zu veröffentlichen. Öffnen Sie diesen Link, um anzunehmen (er gilt einmal, zwei Wochen lang):

    { $link }
orgs-followers-title = Follower
orgs-followers-pending = Folgeanfragen
orgs-followers-no-pending = Keine Folgeanfragen offen.
orgs-followers-accepted = { $n ->
    [one] Ein Follower
   *[other] { $n } Follower
}
orgs-followers-none = Noch keine Follower.
orgs-followers-approve = Bestätigen
orgs-followers-reject = Ablehnen
orgs-followers-remove = Entfernen
orgs-comments-mod-title = Kommentare
orgs-comments-mod-none = Noch keine Kommentare.
orgs-comments-mod-on = zu diesem Beitrag
orgs-comments-mod-hidden = verborgen
orgs-comments-mod-closed = Kommentare geschlossen
orgs-comments-mod-hide = Verbergen
orgs-comments-mod-show = Wieder zeigen
orgs-comments-mod-close = Kommentare schließen
orgs-comments-mod-open = Kommentare wieder öffnen
done-orgs-created = Die Organisation wurde angelegt.
done-orgs-saved = Das Profil wurde gespeichert; die Follower erhalten die Änderung.
done-orgs-image-saved = Das Bild wurde gespeichert.
done-orgs-member-role = Die Rolle wurde geändert.
done-orgs-member-removed = Das Mitglied wurde entfernt.
done-orgs-invite-revoked = Die Einladung wurde zurückgezogen.
done-orgs-invite-accepted = Willkommen! Sie sind jetzt Mitglied der Organisation.
done-orgs-follower-approved = Die Folgeanfrage wurde bestätigt.
done-orgs-follower-rejected = Der Follower wurde abgelehnt.
done-orgs-comment-hidden = Der Kommentar ist verborgen.
done-orgs-comment-shown = Der Kommentar wird wieder gezeigt.
done-orgs-comment-deleted = Der Kommentar wurde gelöscht.
done-orgs-comments-closed = Die Kommentare zu diesem Beitrag sind geschlossen.
done-orgs-comments-opened = Die Kommentare zu diesem Beitrag sind wieder offen.



## Announcements (members)
ann-list-title = Mitteilungen
ann-new = Mitteilung schreiben
ann-scheduled-heading = Geplant
ann-scheduled-none = Nichts ist geplant.
ann-scheduled-for = Wird veröffentlicht am
ann-edit = Bearbeiten
ann-published-heading = Veröffentlicht
ann-published-none = Noch keine Mitteilungen.
ann-col-text = Mitteilung
ann-col-published = Veröffentlicht
ann-replies = Antworten
ann-likes = Favoriten
ann-boosts = Geteilt
ann-detail-title = Mitteilung
ann-back = Zurück zu den Mitteilungen
ann-updated = Bearbeitet
ann-public-page = Öffentliche Seite
ann-delete = Diese Mitteilung löschen
ann-replies-none = Noch keine Antworten.
ann-likes-none = Noch keine Favoriten.
ann-boosts-none = Noch nicht geteilt.
ann-form-title-new = Neue Mitteilung
ann-form-title-scheduled = Geplante Mitteilung
ann-form-title-edit = Mitteilung bearbeiten
ann-preview-heading = Vorschau
ann-preview-hint = So wird die Mitteilung aussehen. Noch ist nichts veröffentlicht.
ann-content = Text
ann-content-hint = Markdown: **fett**, *kursiv*, [Link](https://example.org), #Hashtags.
ann-language = Sprache des Textes
ann-images = Bilder
ann-images-hint = Bis zu { $n } Bilder (PNG, JPEG, WebP oder GIF). Jedes Bild braucht eine Beschreibung für Menschen, die es nicht sehen können.
ann-when = Wann veröffentlichen
ann-when-now = Jetzt
ann-when-later = Später, zur unten angegebenen Zeit
ann-publish-at = Datum und Uhrzeit
ann-zone = Zeitzone
ann-submit-publish = Veröffentlichen
ann-err-content = Bitte schreiben Sie den Text der Mitteilung (höchstens 50.000 Zeichen).
ann-err-zone = Bitte geben Sie eine Zeitzone wie Europe/Berlin an.
ann-err-publish-at = Bitte geben Sie ein Datum und eine Uhrzeit in der Zukunft an.
ann-err-too-many = Eine Mitteilung kann höchstens vier Bilder haben.
done-announcement-published = Die Mitteilung ist veröffentlicht.
done-announcement-scheduled = Die Mitteilung ist geplant.
done-announcement-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-announcement-deleted = Die Mitteilung ist gelöscht.
done-announcement-unscheduled = Die geplante Mitteilung ist gelöscht.



## Events (members)
ev-list-title = Veranstaltungen
ev-list-empty = Diese Organisation hat noch keine Veranstaltungen.
ev-list-when = Beginn
ev-list-participants = Teilnehmende
ev-list-actions = Aktionen
ev-edit-link = Bearbeiten
ev-new-title = Neue Veranstaltung
ev-edit-title = Veranstaltung bearbeiten
ev-back-to-list = Alle Veranstaltungen der Organisation
ev-back-to-event = Zurück zur Veranstaltung
ev-is-cancelled = Abgesagt
ev-public-page = Öffentliche Seite
ev-participants-link = Teilnehmende
ev-title = Titel
ev-description = Beschreibung
ev-description-hint = Markdown: **fett**, *kursiv*, [Link](https://example.org), Listen mit „-“. #Hashtags werden zu Schlagwörtern.
ev-when = Datum und Uhrzeit
ev-all-day = Ganztägig
ev-all-day-hint = Uhrzeiten werden ignoriert; die Veranstaltung dauert die ganzen Tage vom Start- bis zum Enddatum.
ev-start-date = Startdatum
ev-start-time = Beginn (Uhrzeit)
ev-end-date = Enddatum
ev-end-time = Ende (Uhrzeit)
ev-end-hint = Ohne Ende dauert die Veranstaltung eine Stunde (ganztägig: den Starttag).
ev-timezone = Zeitzone
ev-timezone-hint = Die Zeitzone der Zeiten oben, etwa Europe/Berlin.
ev-recurrence = Wiederholung
ev-repeat = Wiederholt sich
ev-repeat-hint = Wiederholungen richten sich nach Startdatum und -uhrzeit.
ev-repeat-none = Keine Wiederholung
ev-repeat-daily = Jeden Tag
ev-repeat-weekly = Jede Woche am Wochentag des Beginns
ev-repeat-biweekly = Alle zwei Wochen am Wochentag des Beginns
ev-repeat-monthly-date = Jeden Monat am selben Datum
ev-repeat-monthly-weekday = Jeden Monat am selben Wochentag (etwa am zweiten Dienstag)
ev-repeat-keep = Importierte Regel beibehalten ({ $rule })
ev-repeat-until = Letzter Termin (Datum)
ev-repeat-count = Anzahl der Termine
ev-repeat-end-hint = Geben Sie ein letztes Datum oder eine Anzahl an, oder keines von beiden für eine Reihe ohne Ende.
ev-place = Ort
ev-place-hint = Eine Adresse, ein Online-Link oder beides.
ev-place-name = Name des Orts
ev-street = Straße und Hausnummer
ev-postal-code = Postleitzahl
ev-city = Stadt
ev-country = Land
ev-online-url = Online-Link
ev-online-url-hint = Ein https-Link zur Videokonferenz oder zum Stream.
ev-about = Thema
ev-category = Kategorie
ev-category-none = Keine Kategorie
ev-tags = Schlagwörter
ev-tags-hint = Durch Kommas getrennt, etwa linux, opendata.
ev-related-projects = Zugehörige Projekte
ev-co-organizers = Mitveranstaltende
ev-participation = Teilnahme
ev-capacity = Plätze
ev-capacity-hint = Höchstzahl der Teilnehmenden; leer für unbegrenzt.
ev-join-mode = Art der Teilnahme
ev-join-free = Offen: alle können teilnehmen
ev-join-restricted = Mit Freigabe: Sie bestätigen jede Teilnahme
ev-join-external = Anmeldung anderswo (Link unten)
ev-join-invite = Nur auf Einladung
ev-registration-url = Anmeldelink
ev-registration-url-hint = Nötig bei Anmeldung anderswo: ein https- oder mailto:-Link.
ev-publish = Veranstaltung veröffentlichen
ev-banner = Titelbild
ev-banner-image = Bilddatei
ev-banner-alt = Alternativtext
ev-banner-alt-hint = Beschreiben Sie das Bild für Menschen, die es nicht sehen können.
ev-banner-save = Titelbild speichern
ev-banner-remove = Titelbild entfernen
ev-cancel-heading = Veranstaltung absagen
ev-cancel-hint = Die Veranstaltung bleibt sichtbar und wird als abgesagt markiert; Folgende und Teilnehmende werden benachrichtigt.
ev-cancel-submit = Veranstaltung absagen
ev-import-heading = Aus einem Kalender importieren (iCalendar)
ev-import-hint = Jedes VEVENT wird eine Veranstaltung; früher importierte werden anhand ihrer UID aktualisiert.
ev-import-file = Kalenderdatei (.ics)
ev-import-upload = Hochladen und importieren
ev-import-url = Kalenderadresse (URL)
ev-import-fetch = Abrufen und importieren
ev-import-done = Import abgeschlossen.
ev-import-created = Neu angelegt
ev-import-updated = Aktualisiert
ev-import-refused = Diese Einträge wurden nicht importiert:
ev-import-entry-error = Eintrag { $n }: { $error }
ev-import-empty = Die Datei ist leer.
ev-import-not-utf8 = Die Datei ist keine UTF-8-Textdatei.
ev-participants-title = Teilnehmende
ev-participants-empty = Noch niemand nimmt teil.
ev-participant = Teilnehmende Person
ev-participant-state = Stand
ev-participant-since = Seit
ev-approve = Bestätigen
ev-reject = Ablehnen
ev-state-pending = wartet auf Freigabe
ev-state-accepted = bestätigt
ev-state-rejected = abgelehnt
ev-err-whole-number = Bitte geben Sie eine ganze Zahl ein.
ev-err-until-or-count = Bitte geben Sie entweder ein letztes Datum oder eine Anzahl an, nicht beides.
ev-err-date = Bitte geben Sie ein Datum ein.
ev-err-count = Bitte geben Sie eine Zahl von 1 bis 1000 ein.
ev-err-end-before-start = Das Ende liegt vor dem Beginn.
ev-err-alt = Bitte beschreiben Sie das Bild.
ev-sign-in-first = Bitte melden Sie sich zuerst an.
done-event-created = Die Veranstaltung ist veröffentlicht.
done-event-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-event-cancelled = Die Veranstaltung ist abgesagt.
done-banner-saved = Das Titelbild ist gespeichert.
done-participant-approved = Die Teilnahme ist bestätigt.
done-participant-rejected = Die Teilnahme ist abgelehnt.
ev-cat-arts = Kunst
ev-cat-book-clubs = Lesekreise
ev-cat-business = Wirtschaft
ev-cat-causes = Engagement
ev-cat-comedy = Comedy
ev-cat-crafts = Handwerk und Basteln
ev-cat-food-drink = Essen und Trinken
ev-cat-health = Gesundheit
ev-cat-music = Musik
ev-cat-auto-boat-air = Autos, Boote und Flugzeuge
ev-cat-community = Gemeinschaft
ev-cat-family-education = Familie und Bildung
ev-cat-fashion-beauty = Mode und Schönheit
ev-cat-film-media = Film und Medien
ev-cat-games = Spiele
ev-cat-language-culture = Sprache und Kultur
ev-cat-learning = Lernen
ev-cat-lgbtq = LGBTQ
ev-cat-movements-politics = Bewegungen und Politik
ev-cat-networking = Netzwerken
ev-cat-party = Feiern
ev-cat-performing-visual-arts = Darstellende und bildende Kunst
ev-cat-pets = Haustiere
ev-cat-photography = Fotografie
ev-cat-outdoors-adventure = Draußen und Abenteuer
ev-cat-spirituality-religion-beliefs = Spiritualität, Religion und Weltanschauung
ev-cat-science-tech = Wissenschaft und Technik
ev-cat-sports = Sport
ev-cat-theatre = Theater
ev-cat-meeting = Treffen



## Projects (members)
pj-list-title = Projekte
pj-list-empty = Diese Organisation hat noch keine Projekte.
pj-new-title = Neues Projekt
pj-edit-title = Projekt bearbeiten
pj-back-to-list = Alle Projekte der Organisation
pj-back-to-project = Zurück zum Projekt
pj-public-page = Öffentliche Seite
pj-releases-link = Versionen
pj-import-heading = publiccode.yml importieren
pj-import-hint = Laden Sie die Datei hoch oder geben Sie ihre Adresse an; die Angaben des Projekts werden daraus übernommen. Ein erneuter Import derselben Adresse aktualisiert das Projekt.
pj-import-file = publiccode.yml-Datei
pj-import-url = Adresse einer publiccode.yml (URL)
pj-import-slug = Kurzname (optional)
pj-import-submit = Importieren
pj-import-nothing = Bitte wählen Sie eine Datei oder geben Sie eine Adresse an.
pj-import-not-utf8 = Die Datei ist keine UTF-8-Textdatei.
pj-form-heading = Oder füllen Sie das Formular aus
pj-name = Name
pj-slug = Kurzname
pj-slug-hint = Teil der Adresse und des Handles des Projekts, etwa mein-projekt; leer wird er aus dem Namen gebildet. Er lässt sich später nicht ändern.
pj-summary = Kurzbeschreibung
pj-summary-hint = Ein Satz, reiner Text.
pj-description = Beschreibung
pj-description-hint = Markdown.
pj-links = Links
pj-repository = Quellcode-Repository
pj-website = Website
pj-logo = Logo (URL)
pj-logo-hint = Eine https-Adresse des Logobilds.
pj-facts = Angaben
pj-license = Lizenz
pj-license-hint = Ein SPDX-Ausdruck, etwa AGPL-3.0-or-later oder Apache-2.0.
pj-languages = Programmiersprachen
pj-topics = Themen
pj-platforms = Plattformen
pj-list-hint = Durch Kommas getrennt.
pj-development-status = Entwicklungsstand
pj-maintenance-type = Wartung
pj-software-type = Art der Software
pj-not-given = Keine Angabe
pj-create = Projekt anlegen
pj-releases-title = Versionen
pj-releases-known = Veröffentlichte Versionen
pj-releases-empty = Noch keine Version.
pj-release-new = Version veröffentlichen
pj-release-version = Version
pj-release-version-hint = Etwa 1.4.0.
pj-release-date = Veröffentlichungsdatum
pj-release-date-hint = Leer bedeutet heute.
pj-release-notes = Versionshinweise
pj-release-notes-hint = Markdown; wird mit der Version an die Folgenden des Projekts gesendet.
pj-release-publish = Version veröffentlichen
done-project-created = Das Projekt ist angelegt.
done-project-imported = Das Projekt ist importiert.
done-project-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-release-published = Die Version ist veröffentlicht.



## Account: profile, password, tokens, sessions, password reset
account-nav = Kontoseiten
account-title = Ihr Konto
account-handle = Ihre Adresse im Fediverse
account-email = E-Mail-Adresse
account-actions = Aktionen
account-f-name = Anzeigename
    .invalid = Geben Sie einen Anzeigenamen mit 1 bis 200 Zeichen ein.
account-f-summary = Über Sie
    .hint = Reiner Text; eine Leerzeile beginnt einen neuen Absatz.
    .invalid = Schreiben Sie höchstens 5000 Zeichen.
account-f-current = Aktuelles Passwort
    .wrong = Das aktuelle Passwort ist falsch.
account-f-password = Neues Passwort
    .hint = Mindestens 10 Zeichen.
    .invalid = Das Passwort muss mindestens 10 Zeichen haben.
account-f-password_repeat = Neues Passwort wiederholen
    .differ = Die beiden Passwörter sind verschieden.
account-f-username = Benutzername
    .hint = Kleinbuchstaben a–z, Ziffern und _, dazwischen auch . oder -. Er lässt sich später nicht ändern.
    .invalid = Verwenden Sie 1 bis 64 Kleinbuchstaben a–z, Ziffern und _, dazwischen auch . oder -.
    .taken = Dieser Name ist vergeben. Bitte wählen Sie einen anderen.
account-f-email = E-Mail-Adresse
    .invalid = Geben Sie eine E-Mail-Adresse wie name@example.org ein.
    .taken = Diese Adresse gehört bereits zu einem Konto.
account-f-reason = Warum möchten Sie mitmachen?
    .invalid = Bitte schreiben Sie 1 bis 2000 Zeichen.
account-f-label = Bezeichnung
    .invalid = Geben Sie dem Token eine Bezeichnung mit 1 bis 100 druckbaren Zeichen.
account-f-days = Läuft ab nach (Tagen)
    .hint = Leer lassen für ein Token, das nicht abläuft.
    .invalid = Geben Sie eine Zahl von 1 bis 3650 Tagen ein oder lassen Sie das Feld leer.
account-password-title = Passwort
account-password-intro = Nach der Änderung bleiben Sie hier angemeldet; alle anderen Sitzungen werden beendet.
account-password-submit = Passwort ändern
account-tokens-title = API-Tokens
account-tokens-intro = Programme veröffentlichen mit API-Tokens in Ihrem Namen. Behandeln Sie ein Token wie ein Passwort.
account-tokens-none = Sie haben keine API-Tokens.
account-token-label = Bezeichnung
account-token-created = Erstellt
account-token-expires = Läuft ab
account-token-used = Zuletzt benutzt
account-token-never = nie
account-token-unused = noch nicht
account-token-revoke = „{ $label }“ widerrufen
account-token-create = Token erstellen
account-token-made = Das Token wurde erstellt.
account-token-once = Kopieren Sie das Token jetzt: Es wird nur dieses eine Mal angezeigt.
account-token-new = Ihr neues Token
account-sessions-title = Sitzungen
account-session-agent = Browser
account-session-started = Angemeldet
account-session-seen = Zuletzt gesehen
account-session-this = dieser Browser
account-session-unknown = unbekannter Browser
account-session-end = Sitzung beenden
account-sessions-end-all = Überall abmelden
password-forgot-title = Passwort vergessen?
password-forgot-intro = Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein. Gehört sie zu einem Konto, senden wir einen Link zum Setzen eines neuen Passworts an dessen E-Mail-Adresse.
password-forgot-submit = Link senden
password-forgot-sent = Falls der Name oder die Adresse zu einem Konto gehört, ist ein Link zum Setzen eines neuen Passworts unterwegs. Er gilt eine Stunde lang, einmal.
password-f-login = Benutzername oder E-Mail-Adresse
    .invalid = Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.
password-back-signin = Zurück zur Anmeldung
password-reset-title = Neues Passwort setzen
password-reset-intro = Wählen Sie ein neues Passwort. Danach sind Sie überall abgemeldet und melden sich mit dem neuen Passwort an.
password-reset-submit = Passwort setzen
password-reset-gone = Dieser Link wurde schon benutzt oder ist abgelaufen.
password-reset-again = Einen neuen Link anfordern
done-profile-saved = Ihr Profil wurde gespeichert.
done-password-changed = Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden beendet.
done-token-revoked = Das Token wurde widerrufen.
done-session-ended = Die Sitzung wurde beendet.
done-signed-out-everywhere = Sie sind überall abgemeldet.
done-password-reset = Ihr Passwort wurde gesetzt. Bitte melden Sie sich damit an.
done-registered = Willkommen! Ihr Konto ist bereit.

## Administration and registration
admin-nav = Verwaltungsseiten
admin-title = Einstellungen der Instanz
admin-f-name = Name der Instanz
    .invalid = Geben Sie einen Namen mit 1 bis 100 Zeichen ein.
admin-f-description = Beschreibung
    .hint = Erscheint auf der Startseite und unter „Über“. Reiner Text; eine Leerzeile beginnt einen neuen Absatz.
    .invalid = Schreiben Sie höchstens 5000 Zeichen.
admin-f-rules = Regeln
    .hint = Eine Regel pro Zeile.
    .invalid = Schreiben Sie höchstens 5000 Zeichen.
admin-f-contact = Kontakt
    .hint = Eine E-Mail-Adresse oder ein Link, unter dem man die Administration erreicht.
    .invalid = Schreiben Sie höchstens 200 Zeichen.
admin-f-languages = Sprachen der Instanz
    .invalid = Wählen Sie mindestens eine Sprache.
admin-f-registration = Registrierung
    .invalid = Wählen Sie, wie man sich registrieren kann.
admin-f-email =
    .hint = Mit Adresse wird der Link auch per E-Mail verschickt (wenn der Server E-Mails senden kann).
    .invalid = Geben Sie eine E-Mail-Adresse wie name@example.org ein oder lassen Sie das Feld leer.
admin-f-days = Gültig für (Tage)
    .invalid = Geben Sie eine Zahl von 1 bis 90 Tagen ein.
admin-f-uses = Anzahl der Konten
    .invalid = Geben Sie eine Zahl von 1 bis 100 ein.
admin-mode-closed = Geschlossen: nur die Administration legt Konten an
admin-mode-invitation = Mit Einladung: über einen Link der Administration
admin-mode-approval = Mit Freigabe: alle können anfragen, die Administration entscheidet
admin-mode-open = Offen: alle können sich registrieren
admin-users-title = Personen
admin-user-name = Benutzername
admin-user-role = Rolle
admin-user-status = Status
admin-user-since = Seit
admin-user-active = aktiv
admin-user-disabled = gesperrt
admin-user-pending = wartet auf Freigabe
admin-user-rejected = abgelehnt
admin-role-admin = Administration
admin-role-member = Mitglied
admin-make-admin = { $name } zur Administration machen
admin-make-member = { $name } zum Mitglied machen
admin-disable = { $name } sperren
admin-enable = { $name } entsperren
admin-reset = Passwort-Link für { $name }
admin-reset-link = Geben Sie diesen Link an { $name } weiter. Er setzt ein neues Passwort und gilt einmal, 24 Stunden lang.
admin-reset-link-label = Passwort-Link
admin-users-refused = Das ist nicht möglich: Sie können sich nicht selbst sperren oder sich die Administration entziehen, und die Instanz muss eine Administration behalten.
admin-users-bad-role = Unbekannte Rolle.
admin-invitations-title = Einladungen
admin-invitations-none = Es gibt keine Einladungen.
admin-invitations-mode = Die Registrierung steht nicht auf „mit Einladung“: Einladungslinks gelten nur in diesem Modus.
admin-invitation-create = Einladung erstellen
admin-invitation-made = Die Einladung wurde erstellt.
admin-invitation-mailed = Die Einladung wurde erstellt und per E-Mail verschickt.
admin-invitation-once = Kopieren Sie den Link jetzt: Er wird nur dieses eine Mal angezeigt.
admin-invitation-link = Einladungslink
admin-invitation-used = Benutzt
admin-invitation-uses = { $uses } von { $max }
admin-invitation-no-email = (nur Link)
admin-registrations-title = Registrierungen
admin-registrations-none = Keine Registrierung wartet auf Freigabe.
admin-registrations-mode = Die Registrierung steht nicht auf „mit Freigabe“.
admin-request-when = Angefragt am
admin-request-reason = Begründung
admin-approve = { $name } freigeben
admin-reject = { $name } ablehnen
about-title = Über diese Instanz
about-no-description = Die Administration hat diese Instanz noch nicht beschrieben.
about-languages = Sprachen:
about-rules = Regeln
about-contact = Kontakt
about-no-contact = Es ist kein Kontakt angegeben.
about-admins = Administration:
about-registration = Mitmachen
about-reg-closed = Die Registrierung ist geschlossen.
about-reg-invitation = Sie können mit einer Einladung der Administration mitmachen.
about-reg-approval = Sie können anfragen; die Administration entscheidet.
about-reg-open = Alle können sich registrieren.
register-link = Konto anlegen
register-title = Konto anlegen
register-closed = Diese Instanz nimmt keine Registrierungen an.
register-invite-needed = Um sich hier zu registrieren, brauchen Sie einen gültigen Einladungslink. Dieser fehlt, ist aufgebraucht oder abgelaufen.
register-approval-intro = Die Administration liest jede Anfrage. Sie können sich anmelden, sobald sie freigegeben ist; wir benachrichtigen Sie per E-Mail.
register-submit = Konto anlegen
register-queued = Vielen Dank! Ihre Anfrage wartet auf die Administration. Sie können sich anmelden, sobald sie freigegeben ist.
done-settings-saved = Die Einstellungen wurden gespeichert.
done-role-changed = Die Rolle wurde geändert.
done-user-disabled = Das Konto wurde gesperrt und seine Sitzungen beendet.
done-user-enabled = Das Konto wurde entsperrt.
done-reset-mailed = Der Passwort-Link wurde per E-Mail verschickt.
done-invitation-deleted = Die Einladung wurde gelöscht.
done-registration-approved = Die Registrierung wurde freigegeben.
done-registration-approved-mailed = Die Registrierung wurde freigegeben; die Person wurde per E-Mail benachrichtigt.
done-registration-rejected = Die Registrierung wurde abgelehnt.
done-registration-rejected-mailed = Die Registrierung wurde abgelehnt; die Person wurde per E-Mail benachrichtigt.

## E-mail
mail-reset-subject = { $instance }: neues Passwort setzen
mail-reset-body = Guten Tag { $name },

    jemand hat für Ihr Konto auf { $instance } ein neues Passwort angefordert. Öffnen Sie dazu innerhalb { $hours ->
        [one] einer Stunde
       *[other] von { $hours } Stunden
    } diesen Link:

    { $link }

    Der Link gilt einmal. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.
mail-invite-subject = Ihre Einladung zu { $instance }
mail-invite-body = Guten Tag,

    Sie sind eingeladen, ein Konto auf { $instance } anzulegen. Öffnen Sie diesen Link innerhalb von { $days } Tagen:

    { $link }
mail-approved-subject = { $instance }: Ihr Konto ist bereit
mail-approved-body = Guten Tag { $name },

    Ihre Registrierung auf { $instance } wurde freigegeben. Sie können sich jetzt anmelden:

    { $link }
mail-rejected-subject = { $instance }: Ihre Registrierung
mail-rejected-body = Guten Tag { $name },

    es tut uns leid: Ihre Registrierung auf { $instance } wurde nicht freigegeben.

## Media
media-alt = Beschreibung (Alternativtext)
media-alt-n = Beschreibung von Bild { $n } (Alternativtext)
media-alt-hint = Nötig, wenn Sie ein Bild wählen: Beschreiben Sie, was es zeigt.
media-file = Bild { $n }
media-remove = Dieses Bild entfernen
media-err-alt = Bitte beschreiben Sie das Bild (höchstens { $max } Zeichen).
media-err-size = Die Datei ist zu groß (höchstens { $mib } MiB).
media-err-type = Die Datei ist kein PNG-, JPEG-, WebP- oder GIF-Bild.

## Reports (the report form)
report-link = Melden
report-title = Den Moderator*innen melden
report-what = Was Sie melden
report-intro = Die Moderator*innen dieser Instanz lesen jede Meldung. Sie brauchen kein Konto; Ihre Adresse wird mit der Meldung nicht gespeichert.
report-category = Was ist das Problem?
report-category-spam = Spam
report-category-legal = Rechtswidriger Inhalt
report-category-violation = Verstößt gegen die Regeln dieser Instanz
report-category-other = Etwas anderes
report-comment = Ihre Nachricht an die Moderator*innen (optional)
report-comment-hint = Höchstens 5.000 Zeichen. Schreiben Sie, worauf die Moderator*innen achten sollen.
report-submit = Meldung senden
report-sent-title = Vielen Dank
report-sent = Ihre Meldung ging an die Moderator*innen.
report-back = Zurück zum Gemeldeten
report-kind-event = Veranstaltung
report-kind-note = Beitrag
report-kind-group = Organisation
report-kind-person = Person
report-kind-project = Projekt
report-kind-other = Konto
report-err-no-target = Geben Sie an, was Sie melden möchten (die Adresse einer Seite hier).
report-err-unknown-target = Unter dieser Adresse gibt es nichts zu melden.
report-err-category = Bitte wählen Sie, was das Problem ist.
report-err-comment-long = Die Nachricht ist zu lang (höchstens 5.000 Zeichen).
report-err-limited = Zu viele Meldungen von Ihrer Adresse; bitte versuchen Sie es in einer Stunde wieder.
reports-title = Meldungen
reports-filter = Meldungen nach Status
reports-status-open = Offen
reports-status-resolved = Erledigt
reports-status-rejected = Abgelehnt
reports-none = Hier gibt es keine Meldungen.
reports-number = Meldung { $id }
reports-detail-title = Meldung { $id }
reports-back = Alle Meldungen
reports-col-report = Meldung
reports-col-received = Eingegangen
reports-col-account = Gemeldetes Konto
reports-col-category = Kategorie
reports-col-reporter = Gemeldet von
reports-col-comment = Nachricht
reports-col-status = Status
reports-col-host = Server
reports-reporter-anonymous = anonym
reports-reporter-remote = dem Server { $host }
reports-no-comment = (keine Nachricht)
reports-forwarded = Weitergeleitet
reports-decided = Entschieden
reports-reported-content = Gemeldeter Inhalt
reports-snapshot-hint = So, wie er zum Zeitpunkt der Meldung war.
reports-open-original = Original öffnen
reports-decide = Entscheiden
reports-note = Notiz für die Moderator*innen (optional)
reports-resolve = Erledigen
reports-reject = Ablehnen
reports-forward-heading = An den Heimatserver weiterleiten
reports-forward-hint = Sendet die Meldung im Namen dieser Instanz an { $host }, ohne Namen oder Nachricht der meldenden Person.
reports-forward-comment = Mitzusendender Kommentar (optional, höchstens 5.000 Zeichen)
reports-forward = Weiterleiten
reports-earlier = Frühere Meldungen zu diesem Konto oder Server
reports-earlier-none = Keine.
reports-log = Frühere Moderation dieses Kontos oder Servers
reports-log-none = Keine.
reports-err-status = Unbekannter Status: wählen Sie offen, erledigt oder abgelehnt.
reports-err-decided = Über diese Meldung wurde schon entschieden.
reports-err-local = Nur Meldungen über Inhalte anderer Server können weitergeleitet werden.
done-report-resolved = Die Meldung ist erledigt.
done-report-rejected = Die Meldung ist abgelehnt.
done-report-forwarded = Die Meldung wurde weitergeleitet.
modlog-action-report-resolve = Meldung erledigt
modlog-action-report-reject = Meldung abgelehnt
modlog-action-report-forward = Meldung weitergeleitet

## Moderation queue and actions
moderation-nav = Moderation
moderation-title = Moderation
moderation-intro = Meldungen, Konten und das Protokoll der Moderation.
moderation-reports = Meldungen
moderation-log = Moderationsprotokoll
moderation-accounts-title = Konten
moderation-search-title = Konto suchen
moderation-search-label = Name, Handle oder Server
moderation-search = Suchen
moderation-search-bad = Die Suche hat höchstens 200 Zeichen.
moderation-results = Ergebnisse
moderation-no-accounts = Kein Konto passt.
moderation-recent = Letzte Maßnahmen
moderation-earlier = Frühere Maßnahmen zu diesem Konto
moderation-log-none = Noch keine Maßnahmen.
moderation-log-when = Wann
moderation-log-who = Moderation
moderation-log-action = Maßnahme
moderation-log-target = Ziel
moderation-log-instance = die Instanz
moderation-local = auf dieser Instanz
moderation-remote = auf einem anderen Server
moderation-f-name = Name
moderation-f-id = ActivityPub-ID
moderation-f-origin = Heimat
moderation-f-status = Status
moderation-f-reason = Grund (für die Moderation)
moderation-f-public-reason = Öffentlicher Grund
moderation-status-active = aktiv
moderation-status-suspended = gesperrt
moderation-status-limited = eingeschränkt
moderation-status-domain-limited = sein Server ist eingeschränkt
moderation-content = Neuere Inhalte
moderation-content-none = Keine Inhalte.
moderation-hidden = verborgen
moderation-kind-announcement = Mitteilung
moderation-kind-event = Veranstaltung
moderation-kind-project = Projekt
moderation-kind-comment = Kommentar
moderation-kind-note = Beitrag
moderation-kind-remote-project = Projekt
moderation-actions-title = Moderationsmaßnahmen
moderation-actions-account = Konto
moderation-actions-account-hint = Die Sperre eines lokalen Kontos beendet seine Anmeldung und wird den Servern seiner Folgenden mitgeteilt; seine Daten werden nach der Aufbewahrungsfrist gelöscht, wenn die Sperre nicht aufgehoben wird. Einschränken hält es aus öffentlichen Ansichten heraus. Bereinigen löscht die Inhalte eines gesperrten Kontos sofort.
moderation-actions-object = Objekt
moderation-suspend = Sperren
moderation-unsuspend = Sperre aufheben
moderation-limit = Einschränken
moderation-unlimit = Einschränkung aufheben
moderation-purge = Inhalte bereinigen
moderation-hide = Verbergen
moderation-unhide = Wieder zeigen
moderation-remove = Entfernen
moderation-bad-report = Die Meldungsnummer ist keine Zahl.
moderation-bad-action = Diese Moderationsmaßnahme gibt es nicht.
moderation-bad-target = Nenne das Konto oder Objekt der Maßnahme.
done-moderation-suspend = Das Konto ist gesperrt.
done-moderation-unsuspend = Die Sperre ist aufgehoben.
done-moderation-limit = Das Konto ist eingeschränkt.
done-moderation-unlimit = Die Einschränkung ist aufgehoben.
done-moderation-purge = Die Inhalte des Kontos wurden gelöscht.
done-moderation-content-hide = Das Objekt ist verborgen.
done-moderation-content-unhide = Das Objekt wird wieder gezeigt.
done-moderation-content-remove = Das Objekt wurde entfernt.
modlog-action-actor-suspend = Konto gesperrt
modlog-action-actor-unsuspend = Sperre aufgehoben
modlog-action-actor-limit = Konto eingeschränkt
modlog-action-actor-unlimit = Einschränkung aufgehoben
modlog-action-actor-purge = Inhalte des Kontos bereinigt
modlog-action-content-hide = Inhalt verborgen
modlog-action-content-unhide = Inhalt wieder gezeigt
modlog-action-content-remove = Inhalt entfernt
admin-role-moderator = Moderation
admin-f-role = Rolle von { $name }
admin-change-role = Rolle ändern
moderation-open-reports-count = { $n ->
    [0] Keine offenen Meldungen
    [one] Eine offene Meldung
   *[other] { $n } offene Meldungen
}
moderation-hidden-mark = von der Moderation verborgen

## Domain policies (admins)

domains-title = Domain-Richtlinien
domains-nav = Domain-Richtlinien
domains-policies = Richtlinien
domains-none = Keine Domain hat eine Richtlinie.
domains-host = Server
domains-host-hint = Ein Hostname wie example.social; die Richtlinie gilt auch für seine Subdomains.
domains-severity = Schärfe
domains-severity-hint = Sperren: nichts hinein oder hinaus, Folgebeziehungen werden getrennt. Einschränken: nicht in öffentlichen und regionalen Ansichten; Folgende erhalten weiter. Keine: nur die Optionen unten.
domains-severity-suspend = Sperren
domains-severity-limit = Einschränken
domains-severity-none = Keine
domains-reject-media = Medien ablehnen
domains-reject-reports = Meldungen ablehnen
domains-private-reason = Interner Grund
domains-public-reason = Öffentlicher Grund
domains-obfuscate = Namen in der öffentlichen Liste unkenntlich machen
domains-obfuscated = unkenntlich
domains-source = Herkunft
domains-source-here = Hier gesetzt
domains-source-list = Abonnierte Liste { $id }
domains-yes = ja
domains-no = nein
domains-edit = { $host } bearbeiten
domains-remove = Richtlinie für { $host } entfernen
domains-form = Richtlinie anlegen oder ändern
domains-save = Richtlinie speichern
domains-bad-host = Das ist kein Hostname eines anderen Servers.
domains-bad-severity = Wähle Sperren, Einschränken oder Keine.
domains-csv = Import und Export (Mastodon-CSV)
domains-export = Richtlinien als Mastodon-Sperrlisten-CSV herunterladen
domains-import = Sperrlisten-CSV
domains-import-hint = Füge Mastodons Sperrlisten-CSV ein (Kopfzeile #domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate) oder eine Domain pro Zeile. Eine Datei mit einer fehlerhaften Zeile ändert nichts.
domains-import-submit = Importieren
domains-import-empty = Die Datei ist leer.
domains-import-done = Importiert
domains-import-refused = Nichts wurde importiert: Korrigiere diese Zeilen und versuche es erneut
domains-import-added = { $host }: hinzugefügt ({ $severity })
domains-import-replaced = { $host }: ersetzt ({ $severity })
domains-import-line = Zeile { $line }: { $message }
domains-federation = Föderation
domains-allowlist-mode = Nur mit den Servern der Erlaubnisliste föderieren
domains-allowlist-mode-hint = Wenn an, wird jeder andere Server abgewiesen: Seine Aktivitäten werden abgelehnt, nichts wird von ihm geholt oder an ihn gesendet.
domains-public-list = Öffentliche Liste moderierter Server zeigen
domains-public-link = Die öffentliche Liste moderierter Server
domains-settings-save = Einstellungen speichern
domains-allowlist = Erlaubnisliste
domains-allowlist-none = Die Erlaubnisliste ist leer.
domains-allow-host = Zu erlaubender Server
domains-allow-add = Zur Erlaubnisliste hinzufügen
domains-allow-remove = { $host } von der Erlaubnisliste entfernen
domains-public-title = Moderierte Server
domains-public-intro = Diese Instanz schränkt Inhalte dieser Server ein oder weist sie ab.
domains-public-empty = Kein Server wird moderiert.
domains-public-off = Die Liste moderierter Server
domains-public-suspend = Gesperrt
domains-public-limit = Eingeschränkt
domains-public-none = Medien oder Meldungen abgelehnt
done-domain-policy-saved = Die Domain-Richtlinie ist gespeichert.
done-domain-policy-removed = Die Domain-Richtlinie ist entfernt.
done-domain-settings-saved = Die Föderationseinstellungen sind gespeichert.
done-domain-allow-added = Der Server steht auf der Erlaubnisliste.
done-domain-allow-removed = Der Server steht nicht mehr auf der Erlaubnisliste.
modlog-action-domain-suspend = Domain gesperrt
modlog-action-domain-limit = Domain eingeschränkt
modlog-action-domain-policy = Domain-Richtlinie gesetzt
modlog-action-domain-lift = Domain-Richtlinie aufgehoben
modlog-action-allow-add = Domain zur Erlaubnisliste hinzugefügt
modlog-action-allow-remove = Domain von der Erlaubnisliste entfernt
modlog-action-domain-allowlist-on = Erlaubnislisten-Modus eingeschaltet
modlog-action-domain-allowlist-off = Erlaubnislisten-Modus ausgeschaltet
modlog-action-domain-public-list-on = Öffentliche Liste moderierter Server gezeigt
modlog-action-domain-public-list-off = Öffentliche Liste moderierter Server verborgen

## Domain list subscriptions (admins)
domain-lists-title = Abonnierte Domainlisten
domain-lists-intro = Abonnieren Sie die Sperrliste oder Erlaubnisliste, die eine andere Instanz veröffentlicht: Sie wird regelmäßig abgerufen, und ihre Einträge werden hier zu Domain-Richtlinien (oder Einträgen der Erlaubnisliste). Eine Liste ändert nie eine Richtlinie, die Sie selbst gesetzt haben. Eine signierte Revier-Liste muss sich mit dem Schlüssel ihres Herausgebers prüfen lassen; unsignierte CSV- oder Textlisten gelten nur, wenn Sie sie zulassen.
domain-lists-subscriptions = Abonnements
domain-lists-none = Noch keine Abonnements.
domain-lists-url = Adresse der Liste
domain-lists-kind = Art der Liste
domain-lists-kind-block = Sperrliste
domain-lists-kind-allow = Erlaubnisliste
domain-lists-format = Format
domain-lists-format-auto = Am Inhalt erkennen
domain-lists-format-signed = Signierte Revier-Liste (JSON)
domain-lists-format-csv = Mastodon-CSV
domain-lists-format-plain = Text, eine Domain pro Zeile
domain-lists-health = Zustand
domain-lists-last-fetch = Letzter Abruf
domain-lists-last-success = Letzter Erfolg
domain-lists-last-error = Letzter Fehler
domain-lists-entries = Einträge
domain-lists-counts = { $entries } Einträge, { $skipped } übersprungen
domain-lists-never = nie
domain-lists-every-hours = alle { $hours } Stunden
domain-lists-refresh = { $name } jetzt abrufen
domain-lists-remove = Abonnement von { $name } entfernen
domain-lists-add = Abonnement hinzufügen
domain-lists-f-url = Adresse der Liste
    .hint = Zum Beispiel https://andere.example/api/v1/instance/domain_lists/block.json
    .invalid = Geben Sie eine http(s)-Adresse eines anderen Servers ein.
    .taken = Diese Liste haben Sie schon abonniert.
domain-lists-f-kind =
    .invalid = Wählen Sie Sperrliste oder Erlaubnisliste.
domain-lists-f-format =
    .invalid = Wählen Sie ein Format.
domain-lists-f-interval = Abruf
domain-lists-f-refresh_secs =
    .invalid = Wählen Sie, wie oft die Liste abgerufen wird.
domain-lists-f-unsigned = Unsignierte Listen annehmen (CSV, Text)
    .hint = Wer die Datei unter dieser Adresse ändern kann, kann dann Ihre Richtlinien ändern.
domain-lists-subscribe = Abonnieren
domain-lists-ours = Unsere eigenen Listen
domain-lists-ours-intro = Diese Instanz veröffentlicht die hier gesetzten Richtlinien (nicht die verborgenen, nicht die aus abonnierten Listen), als vom Instanz-Akteur signierte Listen, die andere Instanzen abonnieren können.
domain-lists-ours-block = Unsere Sperrliste
domain-lists-ours-allow = Unsere Erlaubnisliste
domain-lists-detail-title = Abonnierte Domainliste
domain-lists-back = Alle Abonnements
domain-lists-publisher = Signiert von
domain-lists-unsigned = nicht signiert
domain-lists-refresh-now = Jetzt abrufen
domain-lists-overrides-intro = Ignorieren Sie einen Eintrag, damit er hier nicht gilt; behalten Sie einen Eintrag, damit er bleibt, wenn die Liste ihn streicht (und wenn Sie das Abonnement entfernen).
domain-lists-no-entries = Die Liste hat (noch) keine Einträge.
domain-lists-domain = Domain
domain-lists-severity = Richtlinie
domain-lists-severity-suspend = Sperren
domain-lists-severity-limit = Einschränken
domain-lists-severity-none = Nur Medien und Meldungen
domain-lists-comment = Öffentlicher Kommentar
domain-lists-state = Stand
domain-lists-state-applied = angewandt
domain-lists-state-not-applied = nicht angewandt (eine eigene Richtlinie oder die einer anderen Liste)
domain-lists-state-ignored = ignoriert
domain-lists-state-kept = angewandt, behalten
domain-lists-ignore = { $name } ignorieren
domain-lists-keep = { $name } behalten
domain-lists-clear = Ausnahme für { $name } aufheben
domain-lists-remove-this = Dieses Abonnement entfernen
done-domain-list-added = Das Abonnement wurde angelegt und die Liste abgerufen.
done-domain-list-added-failed = Das Abonnement wurde angelegt, aber die Liste ist noch nicht nutzbar: siehe den letzten Fehler.
done-domain-list-refreshed = Die Liste wurde abgerufen.
done-domain-list-refresh-failed = Die Liste konnte nicht abgerufen werden: siehe den letzten Fehler. Nichts wurde geändert.
done-domain-list-removed = Das Abonnement wurde entfernt, mit den Richtlinien, die es gesetzt hatte.
done-domain-list-override-saved = Die Ausnahme wurde gespeichert.
modlog-action-list-subscribe = hat eine Domainliste abonniert
modlog-action-list-unsubscribe = hat ein Domainlisten-Abonnement entfernt
modlog-action-list-refresh = hat eine Domainliste abgerufen
modlog-action-list-override = hat eine Ausnahme einer Domainliste geändert
modlog-action-list-allow = hat die Erlaubnisliste aus einer Domainliste geändert

## Moderation log, reply policies and rate limits
replies-mode-label = Wer antworten darf
replies-mode-open = Alle
replies-mode-followers = Nur Folgende
replies-mode-closed = Niemand (Kommentare geschlossen)
replies-mode-save = Speichern
done-replies-followers-only = Auf diesen Beitrag dürfen jetzt nur noch die Folgenden der Organisation antworten.
modlog-title = Moderationsprotokoll
modlog-the-instance = die Instanz
modlog-public-bad = Wähle, ob das öffentliche Protokoll gezeigt wird oder nicht.
modlog-filter-target = Ziel (Adresse, Server oder Meldungsnummer)
modlog-filter-host = Server
modlog-filter = Filtern
modlog-public-heading = Öffentliches Moderationsprotokoll
modlog-public-is-on = Das Protokoll ist öffentlich, ohne Namen und interne Gründe:
modlog-public-link = öffentliches Protokoll ansehen
modlog-public-is-off = Das Protokoll ist nicht öffentlich.
modlog-public-show = Protokoll veröffentlichen
modlog-public-hide = Protokoll nicht mehr öffentlich zeigen
modlog-empty = Keine Einträge.
modlog-when = Wann
modlog-who = Wer
modlog-action = Aktion
modlog-target = Ziel
modlog-reasons = Gründe
modlog-report = Meldung
modlog-public-reason = Öffentlich
modlog-older = Ältere Einträge
modlog-public-title = Moderation auf diesem Server
modlog-public-intro = Was die Moderation dieses Servers getan hat, ohne die Namen der Beteiligten.
modlog-server = Server
modlog-reason = Grund
done-modlog-public-on = Das Moderationsprotokoll ist jetzt öffentlich.
done-modlog-public-off = Das Moderationsprotokoll ist nicht mehr öffentlich.
modlog-action-setting-public_log = Öffentliches Protokoll umgeschaltet

## Sources and the regional views (issue 10, sources)
sources-regional-projects = Aus der Region
sources-nav = Quellen
sources-title = Quellen der regionalen Ansichten
sources-intro = Quellen speisen den Kalender dieser Instanz: andere Instanzen, Organisationen, Mobilizon-Gruppen, Gancio-Instanzen oder Relays, denen der Akteur dieser Instanz folgt. Es erscheint nur, was den Filter einer Quelle passiert, mit seiner Herkunft gekennzeichnet.
sources-list = Quellen
sources-none = Noch keine Quellen: Der Kalender zeigt nur die Veranstaltungen dieser Instanz.
sources-source = Quelle
sources-state = Status
sources-filter = Filter
sources-health = Zustand
sources-never = nie
sources-state-pending = wartet auf Annahme
sources-state-accepted = wird gefolgt
sources-state-none = nicht gefolgt (abgelehnt oder beendet)
sources-state-rejected = abgelehnt
sources-kind-actor = Akteur
sources-kind-relay = Relay
sources-filter-none = alles
sources-filter-other = über die API gesetzt
sources-last-success = Letztes Objekt
sources-received = Empfangene Objekte
sources-backfill = Nachladen
sources-last-error = Letzter Fehler
sources-remove = { $name } entfernen
sources-add = Quelle hinzufügen
sources-f-input = Host, Handle oder URL
sources-f-input-hint = Zum Beispiel revier.dortmund.example (die Instanz), ruhrlinux@mobilizon.example (eine Gruppe) oder die URL eines Akteurs oder Relays.
sources-f-kind = Art
sources-f-tags = Nur mit diesen Schlagwörtern
sources-f-tags-hint = Durch Kommas getrennt; leer: alles.
sources-f-exclude-tags = Nie mit diesen Schlagwörtern
sources-add-button = Hinzufügen und folgen
sources-add-failed = Die Quelle konnte nicht hinzugefügt werden: { $why }
sources-followers = Instanzen, die dieser folgen
sources-followers-intro = Andere Instanzen und Relay-Abonnenten, die dem Akteur dieser Instanz folgen, erhalten jede öffentliche Veranstaltung, jedes Projekt und jede Ankündigung von hier.
sources-f-auto = Jedes Folgen sofort annehmen
sources-f-hosts = Diese Hosts immer annehmen
sources-f-hosts-hint = Ein Host pro Zeile.
sources-hosts-invalid = Die Hosts wurden nicht gespeichert: { $why }
sources-policy-save = Speichern
sources-pending = Warten auf deine Entscheidung
sources-pending-none = Keine Anfragen warten.
sources-accepted = Folgende
sources-accepted-none = Noch folgt niemand dieser Instanz.
sources-accept = { $name } annehmen
sources-reject = { $name } ablehnen
sources-unfollow = { $name } entfernen
done-source-added = Die Quelle wurde hinzugefügt; sie erscheint als gefolgt, sobald sie annimmt.
done-source-removed = Die Quelle wurde entfernt.
done-source-policy = Die Einstellungen wurden gespeichert.
done-source-follower-accepted = Die Anfrage wurde angenommen.
done-source-follower-rejected = Die Anfrage wurde abgelehnt.
sources-cal-instance = Instanz

## Collections (issue 10, collections)

## Backfill and freshness (issue 10, backfill)

## Group federation (issue 10, groups)
