package app

import (
	"encoding/xml"
	"strings"
)

// appName names Meterdesk to the OS notification service (the Windows
// Action Center's group, notify-send's application name).
const appName = "Meterdesk"

// toastXML is the Windows toast for a desktop notification: a short,
// silent ToastGeneric toast as go-toast's template makes, but with the
// title and body XML-escaped as text rather than pasted into CDATA, so no
// text can end its element or the document.
func toastXML(title, body string) string {
	var b strings.Builder
	b.WriteString(`<toast activationType="foreground" duration="short"><visual><binding template="ToastGeneric">`)
	for _, t := range []string{title, body} {
		if t == "" {
			continue
		}
		b.WriteString("<text>")
		_ = xml.EscapeText(&b, []byte(t)) // a strings.Builder never fails
		b.WriteString("</text>")
	}
	b.WriteString(`</binding></visual><audio silent="true"/></toast>`)
	return b.String()
}
