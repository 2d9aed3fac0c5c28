package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/notify/mailpittest"
)

// TestSMTPTLS delivers through a mailpit that requires STARTTLS (smtp://) and one that speaks
// TLS from the start (smtps://), verifying its certificate; an untrusted certificate is refused.
func TestSMTPTLS(t *testing.T) {
	for _, tc := range []struct{ mode, scheme string }{{mailpittest.RequireSTARTTLS, "smtp"}, {mailpittest.RequireTLS, "smtps"}} {
		t.Run(tc.scheme, func(t *testing.T) {
			mp, roots := mailpittest.StartTLS(t, tc.mode)
			s, err := ParseSMTPURL(tc.scheme+"://user:secret@"+strings.TrimPrefix(mp.SMTPURL, "smtp://"), "Pantau <pantau@test.pantau.id>")
			if err != nil {
				t.Fatal(err)
			}
			s.Timeout = 5 * time.Second
			if _, err := s.dial(context.Background()); err == nil {
				t.Fatal("a certificate from no trusted CA was accepted")
			}
			s.RootCAs = roots
			c, err := s.dial(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			msg, err := s.message("operator@test.pantau.id", "Operator", "abc@pantau", &Mail{Subject: "Uji " + tc.scheme, Text: "teks", HTML: "<p>teks</p>",
				Unsubscribe: "http://localhost/api/v1/unsubscribe?token=x"}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Send(msg); err != nil {
				t.Fatal(err)
			}
			list := mp.Wait(t, 1)
			if list[0].Subject != "Uji "+tc.scheme || list[0].To[0].Address != "operator@test.pantau.id" {
				t.Fatalf("received %+v", list[0])
			}
		})
	}
}
