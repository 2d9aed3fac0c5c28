package notify

import (
	"bytes"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/pantau-id/pantau/models"
)

// Mail is a rendered e-mail: the subject, a plain-text and an HTML body, and the link that
// turns off its category.
type Mail struct {
	Subject, Text, HTML string
	Unsubscribe         string
}

// mailView is what the templates show.
type mailView struct {
	Name, Title, Quote, Link, Unsubscribe string
	T                                     map[string]string
	// Digest is a weekly digest's content (notify/digest.go), nil for other e-mails.
	Digest *digestView
}

// mailWords are the fixed words of an e-mail, per language.
var mailWords = map[string]map[string]string{
	"id": {"hello": "Yth.", "open": "Buka di Pantau", "quote": "Catatan", "why": "Anda menerima e-mail ini karena notifikasi kategori \"{category}\" aktif.",
		"unsubscribe": "Berhenti menerima e-mail kategori ini", "rejections": "penolakan", "comments": "komentar", "reminders": "pengingat", "digest": "ringkasan mingguan"},
	"en": {"hello": "Dear", "open": "Open in Pantau", "quote": "Note", "why": "You receive this e-mail because \"{category}\" e-mails are on.",
		"unsubscribe": "Stop e-mails of this category", "rejections": "rejections", "comments": "comments", "reminders": "reminders", "digest": "weekly digest"},
}

var textMail = texttemplate.Must(texttemplate.New("text").Parse(`{{.T.hello}} {{.Name}},

{{.Title}}
{{if .Digest}}
{{template "digest" .Digest}}{{end}}{{if .Quote}}
{{.T.quote}}:
{{.Quote}}
{{end}}
{{.T.open}}: {{.Link}}

-- 
{{.T.why}}
{{.T.unsubscribe}}: {{.Unsubscribe}}
`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.T.hello}} {{.Name}},</p>
<p><strong>{{.Title}}</strong></p>
{{if .Digest}}{{template "digest" .Digest}}{{end}}{{if .Quote}}<p>{{.T.quote}}:</p><blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em">{{.Quote}}</blockquote>{{end}}
<p><a href="{{.Link}}">{{.T.open}}</a></p>
<hr>
<p style="font-size: small; color: #555">{{.T.why}}<br><a href="{{.Unsubscribe}}">{{.T.unsubscribe}}</a></p>
</body></html>
`))

// Renderer makes e-mails from outbox rows: the words in the recipient's language, links under
// the public address, the unsubscribe link signed by Tokens.
type Renderer struct {
	PublicURL string
	Tokens    *Tokens
}

// Render renders one outbox e-mail.
func (r *Renderer) Render(m *models.OutboxMail) (*Mail, error) {
	lang := m.Preferences.Language
	if lang != "en" {
		lang = "id"
	}
	words := map[string]string{}
	for k, v := range mailWords[lang] {
		words[k] = v
	}
	words["why"] = fillCategory(words["why"], words[string(m.Category)])
	out := &Mail{Subject: "[Pantau] " + Title(m.Kind, lang, m.Params),
		Unsubscribe: r.PublicURL + "/api/v1/unsubscribe?token=" + url.QueryEscape(r.Tokens.Unsubscribe(m.UserID, m.Category))}
	view := mailView{Name: m.Name, Title: Title(m.Kind, lang, m.Params), Quote: m.Params.Text, Link: r.PublicURL + m.Link,
		Unsubscribe: out.Unsubscribe, T: words}
	if m.Params.Digest != nil {
		view.Digest = newDigestView(m.Params.Digest, lang)
	}
	var text, html bytes.Buffer
	if err := textMail.Execute(&text, view); err != nil {
		return nil, err
	}
	if err := htmlMail.Execute(&html, view); err != nil {
		return nil, err
	}
	out.Text, out.HTML = text.String(), html.String()
	return out, nil
}

func fillCategory(s, category string) string { return strings.ReplaceAll(s, "{category}", category) }

var unsubscribedPage = htmltemplate.Must(htmltemplate.New("unsubscribed").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pantau</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; margin: 2em auto; padding: 0 1em">
<h1>Pantau</h1>
<p>{{.Done}}</p>
<p><a href="/">{{.Open}}</a></p>
</body></html>
`))

var unsubscribedWords = map[string]phrase{
	"done": {"E-mail kategori \"{category}\" untuk {email} telah dihentikan. Notifikasi di aplikasi tetap ada; Anda dapat menyalakannya lagi di pengaturan akun.",
		"\"{category}\" e-mails to {email} are stopped. Notifications in the app go on; you can turn them on again in your account settings."},
	"open": {"Buka Pantau", "Open Pantau"},
}

// UnsubscribedPage is the page a person sees after following an e-mail's unsubscribe link in a
// browser, in lang ("en", otherwise Indonesian).
func UnsubscribedPage(lang string, c models.MailCategory, email string) (string, error) {
	if lang != "en" {
		lang = "id"
	}
	done := strings.NewReplacer("{category}", mailWords[lang][string(c)], "{email}", email).Replace(unsubscribedWords["done"].in(lang))
	var b bytes.Buffer
	err := unsubscribedPage.Execute(&b, map[string]string{"Lang": lang, "Done": done, "Open": unsubscribedWords["open"].in(lang)})
	return b.String(), err
}
