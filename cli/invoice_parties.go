package cli

import (
	"fmt"
	"io"
	"strings"

	"meterdesk/backend/statements"
)

// runInvoiceParties is `meterdesk invoice parties`: with no flag it prints
// the seller and buyer printed on new invoices; flags change the fields they
// name (the others stay), through the same statements.SetParties as the
// window's Invoice details form.
func runInvoiceParties(env *Env, args []string) error {
	fs := env.Flags("invoice parties")
	type field struct {
		flag string
		set  optString
		dst  func(*statements.Party) *string
	}
	var fields []*field
	for _, role := range []string{"seller", "buyer"} {
		for _, f := range []struct {
			name string
			dst  func(*statements.Party) *string
		}{
			{"name", func(p *statements.Party) *string { return &p.Name }},
			{"address", func(p *statements.Party) *string { return &p.Address }},
			{"tax-id", func(p *statements.Party) *string { return &p.TaxID }},
			{"email", func(p *statements.Party) *string { return &p.Email }},
		} {
			fl := &field{flag: role + "-" + f.name, dst: f.dst}
			fs.Var(&fl.set, fl.flag, "the "+role+"'s "+strings.ReplaceAll(f.name, "-", " "))
			fields = append(fields, fl)
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s := env.Backend.Statements
	seller, buyer, err := s.Parties(env.Ctx)
	if err != nil {
		return err
	}
	changed := false
	for _, f := range fields {
		if f.set.v == nil {
			continue
		}
		p := &seller
		if strings.HasPrefix(f.flag, "buyer-") {
			p = &buyer
		}
		v := *f.set.v
		if strings.HasSuffix(f.flag, "-address") {
			v = addressText(v)
		}
		*f.dst(p) = v
		changed = true
	}
	if changed {
		if err := s.SetParties(env.Ctx, seller, buyer); err != nil {
			return err
		}
		if seller, buyer, err = s.Parties(env.Ctx); err != nil {
			return err
		}
	}
	return env.Print(map[string]statements.Party{"seller": seller, "buyer": buyer}, func(w io.Writer) {
		for _, x := range []struct {
			role string
			p    statements.Party
		}{{"Seller", seller}, {"Buyer", buyer}} {
			fmt.Fprintf(w, "%s: %s\n", x.role, orDash(x.p.Name))
			if x.p.Address != "" {
				fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(x.p.Address, "\n", "\n  "))
			}
			if x.p.TaxID != "" {
				fmt.Fprintf(w, "  tax id %s\n", x.p.TaxID)
			}
			if x.p.Email != "" {
				fmt.Fprintf(w, "  %s\n", x.p.Email)
			}
		}
	})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
