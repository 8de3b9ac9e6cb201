// Package mdtext turns Markdown into the text a reader sees once it is
// rendered: what conversation search looks in and what the list's snippet
// shows. It reads Markdown as the window does (CommonMark with GitHub's
// tables, strikethrough and task lists; a bare address is text as written).
package mdtext

import (
	"bufio"
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	rhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// md parses; a goldmark parser keeps no state between Parse calls, so one
// serves every goroutine.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList)).Parser()

// Plain returns the visible text of markdown:
//
//   - emphasis, strong and strikethrough: their text ("**very** important"
//     -> "very important");
//   - a link: its text, not its target ("[the docs](https://x.y/z)" ->
//     "the docs"); a bare or <angle> link: the address, which is what shows;
//     an image: its description;
//   - a code span or a code block: the code, without the backticks, the
//     fence or its language;
//   - a heading, a list item, a quote: the text, without "#", "-", "1." or
//     ">"; a task's box is dropped;
//   - a table: its cells, one row a line, cells apart by a tab;
//   - raw HTML: as written, since the window shows it as text;
//   - backslash escapes and character references resolved ("\*" -> "*",
//     "&amp;" -> "&").
//
// Lines of one paragraph join with a space, as they show; paragraphs,
// items, headings and rows are apart by a line break, so that a phrase is
// found only where it reads as one. The result is trimmed.
//
// Long Markdown is read in pieces (parseChunk, cut at a blank line where
// there is one), and past parseLimit kept as written: goldmark's inline
// parsing is worse than linear (cubic) on some text a model can be led to write
// (unclosed links, "[a](" again and again: 20 KB took 0.14 s, 80 KB 5.4 s),
// and Plain runs in the write that stores a reply (the search_text
// trigger). So a construct that spans two pieces (a fenced block with
// blank lines in it, a long list) reads as two, which changes what a
// search of a long reply finds at the seam only; and the Markdown marks of
// a reply past its first 64 KB stay in its search text.
func Plain(markdown string) string {
	var out strings.Builder
	rest := markdown
	for parsed := 0; rest != ""; {
		if parsed >= parseLimit {
			out.WriteByte('\n')
			out.WriteString(rest) // as written
			break
		}
		piece := cutPiece(rest, parseChunk)
		rest = rest[len(piece):]
		parsed += len(piece)
		if s := plainPiece(piece); s != "" {
			if out.Len() > 0 {
				out.WriteByte('\n')
			}
			out.WriteString(s)
		}
	}
	return strings.TrimSpace(out.String())
}

// parseChunk is the most Markdown one parse reads (Plain).
const parseChunk = 2 << 10

// parseLimit is how much of a message Plain parses; the rest is kept as
// written.
const parseLimit = 64 << 10

// cutPiece is the start of s that Plain parses next: all of s when it is
// at most n bytes, else up to its last blank line within n bytes, else its
// last line break, else its last space, else n bytes (back to a
// character's start).
func cutPiece(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head := s[:n]
	if i := strings.LastIndex(head, "\n\n"); i > 0 {
		return s[:i+2]
	}
	if i := strings.LastIndexByte(head, '\n'); i > 0 {
		return s[:i+1]
	}
	if i := strings.LastIndexByte(head, ' '); i > 0 {
		return s[:i+1]
	}
	for n > 1 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// plainPiece is Plain of one piece of Markdown, parsed whole.
func plainPiece(markdown string) string {
	if markdown == "" {
		return ""
	}
	source := []byte(markdown)
	doc := md.Parse(text.NewReader(source))
	p := plain{source: source}
	_ = ast.Walk(doc, p.visit)
	return strings.TrimSpace(p.b.String())
}

type plain struct {
	source []byte
	b      strings.Builder
	esc    bytes.Buffer // scratch for resolving escapes and references
}

// newline ends the current line once (blocks never run together).
func (p *plain) newline() {
	if s := p.b.String(); s != "" && s[len(s)-1] != '\n' {
		p.b.WriteByte('\n')
	}
}

// text writes Markdown text with its escapes and references resolved.
func (p *plain) text(v []byte) {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		p.b.Write(v)
		return
	}
	// goldmark's HTML writer resolves them as the renderer does; its output
	// is HTML, read back as text.
	p.esc.Reset()
	w := bufio.NewWriter(&p.esc)
	rhtml.DefaultWriter.Write(w, v)
	_ = w.Flush()
	p.b.WriteString(html.UnescapeString(p.esc.String()))
}

// lines writes a block's lines as they are (code, raw HTML).
func (p *plain) lines(n ast.Node) {
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		p.b.Write(seg.Value(p.source))
	}
}

func (p *plain) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if _, cell := n.(*east.TableCell); n.Type() == ast.TypeBlock && !cell {
		p.newline()
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Text:
		if n.IsRaw() {
			p.b.Write(n.Segment.Value(p.source))
		} else {
			p.text(n.Segment.Value(p.source))
		}
		switch {
		case n.HardLineBreak():
			p.b.WriteByte('\n')
		case n.SoftLineBreak():
			p.b.WriteByte(' ')
		}
	case *ast.String:
		if n.IsRaw() || n.IsCode() {
			p.b.Write(n.Value)
		} else {
			p.text(n.Value)
		}
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				p.b.WriteString(strings.ReplaceAll(string(t.Segment.Value(p.source)), "\n", " "))
			} else if s, ok := c.(*ast.String); ok {
				p.b.Write(s.Value)
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		p.lines(n)
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		p.lines(n)
		if n.HasClosure() {
			p.b.Write(n.ClosureLine.Value(p.source))
		}
		return ast.WalkSkipChildren, nil
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			p.b.Write(seg.Value(p.source))
		}
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		p.b.Write(n.Label(p.source))
		return ast.WalkSkipChildren, nil
	case *east.TaskCheckBox:
		return ast.WalkSkipChildren, nil
	case *east.TableCell:
		if n.PreviousSibling() != nil {
			p.b.WriteByte('\t')
		}
	}
	return ast.WalkContinue, nil
}

// Message is the text a chat message shows in the window: a reply (role
// "assistant") is Markdown and shows as Plain; a member's own message shows
// as it was typed. Conversation search and the list's snippet read it.
func Message(role, content string) string {
	if role == "assistant" {
		return Plain(content)
	}
	return strings.TrimSpace(content)
}
