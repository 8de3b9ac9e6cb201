package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
	"meterdesk/backend/workzone"
)

// Export is a conversation rendered for saving.
type Export struct {
	FileName string `json:"fileName"` // a safe default name: the title, ".md"
	Markdown string `json:"markdown"`
}

// ExportMarkdown renders a conversation (its owner or an admin) as
// Markdown for the window's Export and `meterdesk conversations export`:
// the title, when it started (in the workspace time zone), the system
// prompt, each visible message under its role with the reply's charge, and
// the total charged: what the conversation cost, every charge of it,
// including replies no longer shown (regenerated, or answers to a message
// edited since), which a line under the total counts and sums
// (Message.Replaced); a reply that ended short or empty says why (its Note).
// The owner's turns are headed "You" in the owner's own export, and with
// the owner's name (people.Member's rule: "bob (removed)") in anyone
// else's. A turn written, or a reply sent, by someone other than the owner
// (Message.WrittenBy) is headed with their name, and the charges of their
// sends, which the total includes, are said apart below it.
// The messages are written as they were stored (a reply is Markdown
// already); the text around them is plain: the title, names, model,
// provider, errors and notes are escaped (mdText), each on one line.
func (s *Service) ExportMarkdown(ctx context.Context, id int64) (Export, error) {
	conv, err := s.Conversation(ctx, id)
	if err != nil {
		return Export{}, fmt.Errorf("export conversation: %w", err)
	}
	msgs, err := s.Messages(ctx, id)
	if err != nil {
		return Export{}, fmt.Errorf("export conversation: %w", err)
	}
	// Whose turns the unnamed ones are: "You" to the owner only.
	owner := "You"
	if a, err := access.Current(ctx); err != nil || a.UserID != conv.UserID {
		name, err := s.memberLabel(ctx, conv.UserID)
		if err != nil {
			return Export{}, fmt.Errorf("export conversation: its owner: %w", err)
		}
		owner = mdText(name)
	}
	var b strings.Builder
	total := decimal.Zero
	fmt.Fprintf(&b, "# %s\n\n", mdText(conv.Title))
	if conv.Model != "" {
		fmt.Fprintf(&b, "Model: %s", mdText(conv.Model))
		if conv.Provider != "" {
			fmt.Fprintf(&b, " (%s)", mdText(conv.Provider))
		}
		b.WriteString("  \n")
	}
	loc, err := workzone.Load(ctx, s.db.Read())
	if err != nil {
		return Export{}, fmt.Errorf("export conversation: %w", err)
	}
	fmt.Fprintf(&b, "Started: %s (%s)  \n", workzone.LocalTime(conv.CreatedAt, loc, workzone.Minutes), loc)
	if conv.SystemPrompt != "" {
		fmt.Fprintf(&b, "\n**System prompt**\n\n%s\n", quote(conv.SystemPrompt))
	}
	// Charges of sends by others than the owner (WrittenBy), by sender in
	// the order they first appear: part of the total, said apart.
	others := decimal.Zero
	var senders []Author
	byOthers := map[int64]decimal.Decimal{}
	for _, m := range msgs {
		who := owner
		if m.WrittenBy != nil {
			who = "Written by " + mdText(m.WrittenBy.Name)
		}
		if m.Role == RoleAssistant {
			who = "Assistant"
			if m.Model != "" {
				who += " · " + mdText(m.Model)
			}
			if m.WrittenBy != nil {
				who += " · sent by " + mdText(m.WrittenBy.Name)
			}
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", who, strings.TrimRight(m.Content, "\n"))
		// How a reply that did not finish ended, in the words the window
		// and `conversations show` give (StatusNote: "Stopped — free,
		// nothing charged.", "Interrupted: …"); another status (a reply
		// still being written) by its name.
		switch {
		case m.StatusNote != "":
			fmt.Fprintf(&b, "\n*%s*\n", mdText(m.StatusNote))
		case m.Status != StatusDone:
			fmt.Fprintf(&b, "\n*(%s", mdText(m.Status))
			if m.Error != "" {
				fmt.Fprintf(&b, ": %s", mdText(m.Error))
			}
			b.WriteString(")*\n")
		}
		if m.Note != "" {
			fmt.Fprintf(&b, "\n*%s*\n", mdText(m.Note))
		}
		if m.Charge != nil {
			fmt.Fprintf(&b, "\n*%s*\n", mdText(m.Charge.Summary))
			if amount, err := decimal.NewFromString(m.Charge.Amount); err == nil {
				total = total.Add(amount)
				if m.WrittenBy != nil {
					if _, seen := byOthers[m.WrittenBy.ID]; !seen {
						senders = append(senders, *m.WrittenBy)
					}
					byOthers[m.WrittenBy.ID] = byOthers[m.WrittenBy.ID].Add(amount)
					others = others.Add(amount)
				}
			}
		}
	}
	// Replies no longer shown (regenerated, or answers to a message edited
	// since) were charged too: the total is what the conversation cost.
	// Messages put each on the reply that replaced it (Message.Replaced).
	replacedTotal, replaced, replacedFree := decimal.Zero, 0, true
	for _, m := range msgs {
		if m.Replaced == nil {
			continue
		}
		replacedFree = replacedFree && m.Replaced.Free
		for _, r := range m.Replaced.Replies {
			amount, err := decimal.NewFromString(r.Charge.Amount)
			if err != nil {
				return Export{}, fmt.Errorf("export conversation: a replaced reply's charge %q: %w", r.Charge.Amount, err)
			}
			replaced++
			replacedTotal = replacedTotal.Add(amount)
			if r.WrittenBy == nil {
				continue
			}
			if _, seen := byOthers[r.WrittenBy.ID]; !seen {
				senders = append(senders, *r.WrittenBy)
			}
			byOthers[r.WrittenBy.ID] = byOthers[r.WrittenBy.ID].Add(amount)
			others = others.Add(amount)
		}
	}
	total = total.Add(replacedTotal)
	fmt.Fprintf(&b, "\n---\n\nTotal charged: %s credits\n", money.Display(total))
	if n := replaced; n > 0 {
		replies := "replies"
		if n == 1 {
			replies = "reply"
		}
		// "free" where every one was free, as each one's line and the
		// window's collapsed line say (ReplacedLine), not "0.00 credits".
		cost := money.Credits(money.Display(replacedTotal))
		if replacedFree && replacedTotal.IsZero() {
			cost = FreeWord
		}
		fmt.Fprintf(&b, "\nOf which for replaced replies, not shown above (regenerated, or answers to a message edited since): %d %s, %s\n",
			n, replies, cost)
	}
	if len(senders) > 0 {
		parts := make([]string, len(senders))
		for i, a := range senders {
			parts[i] = fmt.Sprintf("%s: %s credits", mdText(a.Name), money.Display(byOthers[a.ID]))
		}
		fmt.Fprintf(&b, "\nOf which sent by others than the conversation's owner: %s credits (%s)\n",
			money.Display(others), strings.Join(parts, "; "))
	}
	return Export{FileName: fileName(conv.Title) + ".md", Markdown: b.String()}, nil
}

// fileName makes a title a file name that every OS accepts: path
// separators, reserved and control characters become "-".
func fileName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' || r == 0x7f {
			return '-'
		}
		return r
	}, oneLine(title))
	if strings.Trim(name, ". -") == "" {
		return "conversation"
	}
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	return name
}

// mdEscaped are the characters that could make plain text Markdown or HTML
// structure where it is interpolated in the middle of a line (a heading's
// text, an emphasised note): emphasis, code, links and images (with their
// brackets escaped a parenthesis opens nothing), raw HTML and autolinks,
// entities, tables, strikethrough, a heading's closing #s, math, and the
// backslash itself. Each is ASCII punctuation, which CommonMark lets a
// backslash escape. What is special only at the start of a line (lists,
// block quotes, headings) needs nothing: mdText's text never starts one.
const mdEscaped = "\\`*_[]<>#!|~&$"

// mdText makes s plain text inside a line of Markdown: on one line (line
// breaks and runs of white space folded to one space, oneLine) and with
// every mdEscaped character escaped, so that a name like "**x**", a title
// like "[a](javascript:...)" or "<script>" reads as typed and structures
// nothing. Message contents are not put through it: they are Markdown.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(mdEscaped, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quote makes s a Markdown block quote, line by line.
func quote(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}
