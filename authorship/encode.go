package authorship

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Format is a report's file format.
type Format string

const (
	Markdown Format = "md"
	HTML     Format = "html"
	JSON     Format = "json"
)

// ParseFormat reads "md", "html" or "json".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Markdown, HTML, JSON:
		return f, nil
	case "markdown":
		return Markdown, nil
	}
	return "", fmt.Errorf("authorship: format %q is none of md, html, json", s)
}

// Write makes the report of in and encodes it in format f: what
// `sideman authorship report` calls.
func Write(w io.Writer, in *Input, f Format) error {
	r, err := New(in)
	if err != nil {
		return err
	}
	return r.Encode(w, f)
}

// Encode writes the report in format f.
func (r *Report) Encode(w io.Writer, f Format) error {
	switch f {
	case Markdown:
		return r.encodeMarkdown(w)
	case HTML:
		return r.encodeHTML(w)
	case JSON:
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(r)
	}
	return fmt.Errorf("authorship: format %q is none of md, html, json", f)
}

func (r *Report) svg() ([]byte, error) {
	var b bytes.Buffer
	err := r.WriteSVG(&b)
	return b.Bytes(), err
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func (r *Report) encodeMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("# Authorship report: %s\n\n", orDefault(r.Title, "untitled"))
	p("Project %s, ledger head `%s`, %d notes in %d parts.\n\n", orDefault(r.Project, "(unnamed)"), orDefault(r.Head, "(none)"), r.Total.Notes, len(r.Parts))
	p("| | notes | share |\n|---|---:|---:|\n")
	pc := r.Total.Counts.Percents()
	for i, k := range Classes {
		p("| %s (%s) | %d | %d%% |\n", k, className[k], r.Total.Counts.Of(k), pc[i])
	}
	p("\nActs of the person, counted apart from the notes: %s, %s.\n\n",
		plural(r.ActCount.Selections, "selection"), plural(r.ActCount.Arrangements, "arrangement"))

	p("## For a copyright application\n\n")
	for _, a := range r.Applications {
		p("### %s\n\n", capitalize(a.Work))
		p("**Author Created** (%d of %d characters):\n\n> %s\n\n", utf8.RuneCountInString(a.AuthorCreated), MaxFormText,
			orDefault(a.AuthorCreated, "(nothing: the ledger shows no human authorship in this work)"))
		p("**Material Excluded**, Other (%d of %d characters):\n\n> %s\n\n", utf8.RuneCountInString(a.MaterialExcluded), MaxFormText,
			orDefault(a.MaterialExcluded, "(nothing: the ledger shows no machine-generated material in this work)"))
	}
	p("%s\n\n", Notice)

	p("## Prompts (settings and requests sent to the machine; not claimed)\n\n")
	if len(r.Prompts) == 0 {
		p("None.\n\n")
	} else {
		p("| generator | model | seed | parameters | command |\n|---|---|---:|---|---|\n")
		for _, q := range r.Prompts {
			p("| %s | %s | %d | %s | `%s` |\n", mdCell(q.Generator), mdCell(q.Model), q.Seed, mdCell(q.Params), mdCell(q.Command))
		}
		p("\n")
	}
	p("## Selection and arrangement\n\n")
	if len(r.Acts) == 0 {
		p("None.\n\n")
	}
	for _, a := range r.Acts {
		p("- %s\n", actLine(a))
	}
	if len(r.Acts) > 0 {
		p("\n")
	}

	p("## Piano roll\n\n")
	if r.RollLink != "" {
		p("![Piano roll coloured by who made each note](%s)\n\n", r.RollLink)
	} else {
		svg, err := r.svg()
		if err != nil {
			return err
		}
		p("![Piano roll coloured by who made each note](data:image/svg+xml;base64,%s)\n\n", base64.StdEncoding.EncodeToString(svg))
	}

	p("## By part and bar\n\n")
	for _, pt := range r.Parts {
		p("### %s\n\n", pt.Part)
		p("| bar | notes | H | H+alg | M | M+h |\n|---:|---:|---:|---:|---:|---:|\n")
		p("| all | %d |%s\n", pt.Notes, mdShares(pt.Counts))
		for _, b := range pt.Bars {
			p("| %d | %d |%s\n", b.Bar, b.Notes, mdShares(b.Counts))
		}
		p("\n")
	}
	return bw.Flush()
}

func mdShares(c Counts) string {
	pc := c.Percents()
	var s strings.Builder
	for i, k := range Classes {
		if n := c.Of(k); n > 0 {
			fmt.Fprintf(&s, " %d (%d%%) |", n, pc[i])
		} else {
			s.WriteString(" |")
		}
	}
	return s.String()
}

func actLine(a Act) string {
	var s string
	if a.Kind == Selection {
		s = "Selection: chose " + orDefault(a.Chose, "one candidate")
		if a.Among > 0 {
			s += fmt.Sprintf(" among %d", a.Among)
		}
	} else {
		s = "Arrangement: placed " + orDefault(a.What, "material")
	}
	if where := actWhere(a); where != "" {
		s += " (" + where + ")"
	}
	if a.Who != "" {
		s += ", by " + a.Who
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// encodeHTML writes one self-contained page; it is also well-formed XML
// (every element closed, attributes quoted, only XML's entities), so
// any XML tool can read it.
func (r *Report) encodeHTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	title := "Authorship report: " + orDefault(r.Title, "untitled")
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n", esc(title))
	p("<style>body{font-family:sans-serif;max-width:1300px;margin:1em auto;padding:0 1em}" +
		"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}" +
		"td:first-child,th:first-child{text-align:left}blockquote{background:#f6f6f6;padding:.5em 1em;border-left:4px solid #888}" +
		".roll{overflow-x:auto}</style>\n</head>\n<body>\n")
	p("<h1>%s</h1>\n", esc(title))
	p("<p>Project %s, ledger head <code>%s</code>, %d notes in %d parts.</p>\n",
		esc(orDefault(r.Project, "(unnamed)")), esc(orDefault(r.Head, "(none)")), r.Total.Notes, len(r.Parts))
	p("<table>\n<tr><th></th><th>notes</th><th>share</th></tr>\n")
	pc := r.Total.Counts.Percents()
	for i, k := range Classes {
		p("<tr><td><span style=\"color:%s\">&#9632;</span> %s (%s)</td><td>%d</td><td>%d%%</td></tr>\n",
			classColour[k], esc(string(k)), esc(className[k]), r.Total.Counts.Of(k), pc[i])
	}
	p("</table>\n<p>Acts of the person, counted apart from the notes: %s, %s.</p>\n",
		plural(r.ActCount.Selections, "selection"), plural(r.ActCount.Arrangements, "arrangement"))

	p("<h2>For a copyright application</h2>\n")
	for _, a := range r.Applications {
		p("<h3>%s</h3>\n", esc(capitalize(a.Work)))
		p("<p><strong>Author Created</strong> (%d of %d characters):</p>\n<blockquote>%s</blockquote>\n",
			utf8.RuneCountInString(a.AuthorCreated), MaxFormText,
			esc(orDefault(a.AuthorCreated, "(nothing: the ledger shows no human authorship in this work)")))
		p("<p><strong>Material Excluded</strong>, Other (%d of %d characters):</p>\n<blockquote>%s</blockquote>\n",
			utf8.RuneCountInString(a.MaterialExcluded), MaxFormText,
			esc(orDefault(a.MaterialExcluded, "(nothing: the ledger shows no machine-generated material in this work)")))
	}
	p("<p><em>%s</em></p>\n", esc(Notice))

	p("<h2>Prompts (settings and requests sent to the machine; not claimed)</h2>\n")
	if len(r.Prompts) == 0 {
		p("<p>None.</p>\n")
	} else {
		p("<table>\n<tr><th>generator</th><th>model</th><th>seed</th><th>parameters</th><th>command</th></tr>\n")
		for _, q := range r.Prompts {
			p("<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td><code>%s</code></td></tr>\n",
				esc(q.Generator), esc(q.Model), q.Seed, esc(q.Params), esc(q.Command))
		}
		p("</table>\n")
	}
	p("<h2>Selection and arrangement</h2>\n")
	if len(r.Acts) == 0 {
		p("<p>None.</p>\n")
	} else {
		p("<ul>\n")
		for _, a := range r.Acts {
			p("<li>%s</li>\n", esc(actLine(a)))
		}
		p("</ul>\n")
	}
	p("<h2>Piano roll</h2>\n<div class=\"roll\">\n")
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := r.WriteSVG(bw); err != nil {
		return err
	}
	p("</div>\n<h2>By part and bar</h2>\n")
	for _, pt := range r.Parts {
		p("<h3>%s</h3>\n<table>\n<tr><th>bar</th><th>notes</th><th>H</th><th>H+alg</th><th>M</th><th>M+h</th></tr>\n", esc(pt.Part))
		p("<tr><td>all</td><td>%d</td>%s</tr>\n", pt.Notes, htmlShares(pt.Counts))
		for _, b := range pt.Bars {
			p("<tr><td>%d</td><td>%d</td>%s</tr>\n", b.Bar, b.Notes, htmlShares(b.Counts))
		}
		p("</table>\n")
	}
	p("</body>\n</html>\n")
	return bw.Flush()
}

func htmlShares(c Counts) string {
	pc := c.Percents()
	var s strings.Builder
	for i, k := range Classes {
		if n := c.Of(k); n > 0 {
			fmt.Fprintf(&s, "<td>%d (%d%%)</td>", n, pc[i])
		} else {
			s.WriteString("<td></td>")
		}
	}
	return s.String()
}
