// Package notify tells people what happened in Pantau outside the request that did it: the
// words of notifications in Indonesian and English (titles.go), e-mails rendered from them
// (mail.go), the outbox sender that delivers them through SMTP after their transaction
// committed (outbox.go, smtp.go), and the signed unsubscribe links (tokens.go).
//
// Another channel (a WhatsApp gateway, say) would be a second sender beside Outbox: its own
// outbox rows (a channel column), read as models.DB.DueMail reads e-mail, words from Title and
// Renderer, and each delivery recorded with the same claim / sent / failed steps, so that it
// inherits the retries, the back-off and the no-duplicate rule. No such channel is built in.
package notify
