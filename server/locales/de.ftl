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



## Calendar and event pages



## Project directory and project pages



## Search



## Embedded calendar



## Follow and interact



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



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



