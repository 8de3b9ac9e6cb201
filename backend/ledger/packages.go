package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/textcheck"
)

// Package is an admin-defined top-up package: Credits for Price (in
// Currency units, e.g. "47.50"). Discount is the advertised percentage
// label ("" = none); Price is what is charged.
type Package struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	Credits    decimal.Decimal `json:"credits"`
	Price      string          `json:"price"`
	PriceMinor int64           `json:"priceMinor"`
	Currency   string          `json:"currency"`
	Discount   string          `json:"discount"`
	Active     bool            `json:"active"`
	Sort       int             `json:"sort"`
}

// Packages lists the top-up packages in display order: every package for
// admins, the active ones for members.
func (s *Service) Packages(ctx context.Context) ([]Package, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("list packages: %w", err)
	}
	q := `SELECT id, name, credits_minor, price_minor, currency, discount, active, sort FROM ledger_packages`
	if !a.IsAdmin() {
		q += ` WHERE active = 1`
	}
	rows, err := s.db.Read().QueryContext(ctx, q+` ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("list packages: %w", err)
	}
	defer rows.Close()
	out := []Package{}
	for rows.Next() {
		p, err := scanPackage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanPackage(r scanner) (Package, error) {
	var p Package
	var credits int64
	if err := r.Scan(&p.ID, &p.Name, &credits, &p.PriceMinor, &p.Currency, &p.Discount, &p.Active, &p.Sort); err != nil {
		return p, fmt.Errorf("read package: %w", err)
	}
	p.Credits = money.FromMinor(credits)
	p.Price = FormatPrice(p.PriceMinor, p.Currency)
	return p, nil
}

// SavePackage creates (ID 0) or updates a top-up package (admin only).
// Price is parsed in the currency's units and never rounded.
func (s *Service) SavePackage(ctx context.Context, p Package) (Package, error) {
	actor, err := access.RequireAdmin(ctx, "save top-up package")
	if err != nil {
		return Package{}, err
	}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len(p.Name) > 100 {
		return Package{}, fmt.Errorf("save package: %w", inputerr.New(ErrInvalidRequest, "name must be 1-100 characters"))
	}
	if err := textcheck.Line(p.Name); err != nil {
		return Package{}, fmt.Errorf("save package: %w", inputerr.New(ErrInvalidRequest, "the name: %v", err))
	}
	credits, err := checkAmount(p.Credits, false)
	if err != nil {
		return Package{}, fmt.Errorf("save package %q: %w", p.Name, inputerr.In("credits", err))
	}
	if err := CheckCurrency(p.Currency); err != nil {
		return Package{}, fmt.Errorf("save package %q: %w", p.Name, err)
	}
	price, err := ParsePrice(p.Price, p.Currency)
	if err != nil {
		return Package{}, fmt.Errorf("save package %q: %w", p.Name, err)
	}
	if p.Discount = strings.TrimSpace(p.Discount); p.Discount != "" {
		d, err := parseDecimal(p.Discount)
		if err != nil || d.Sign() < 0 || d.GreaterThan(decimal.NewFromInt(100)) {
			return Package{}, fmt.Errorf("save package %q: %w", p.Name, inputerr.New(ErrInvalidRequest, "discount %q must be a percentage 0-100", p.Discount))
		}
		p.Discount = d.String()
	}
	if p.ID < 0 {
		return Package{}, fmt.Errorf("save package: %w", inputerr.New(ErrInvalidRequest, "id %d", p.ID))
	}
	after := func(w *wtx) error {
		return audit.Record(w.ctx, w.tx, w.s.now(), actor, "credits.package", "package:"+strconv.FormatInt(p.ID, 10), nil,
			Package{ID: p.ID, Name: p.Name, Credits: money.FromMinor(credits), Price: FormatPrice(price, p.Currency), PriceMinor: price,
				Currency: p.Currency, Discount: p.Discount, Active: p.Active, Sort: p.Sort})
	}
	err = s.submit(ctx, func(w *wtx) error {
		if p.ID == 0 {
			res, err := w.exec(`INSERT INTO ledger_packages(name, credits_minor, price_minor, currency, discount, active, sort)
				VALUES (?,?,?,?,?,?,?)`, p.Name, credits, price, p.Currency, p.Discount, p.Active, p.Sort)
			if err != nil {
				return err
			}
			if p.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			return after(w)
		}
		res, err := w.exec(`UPDATE ledger_packages SET name=?, credits_minor=?, price_minor=?, currency=?, discount=?,
			active=?, sort=? WHERE id=?`, p.Name, credits, price, p.Currency, p.Discount, p.Active, p.Sort, p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: %d", ErrUnknownPackage, p.ID)
		}
		return after(w)
	})
	if err != nil {
		return Package{}, fmt.Errorf("save package %q: %w", p.Name, err)
	}
	p.Credits, p.PriceMinor, p.Price = money.FromMinor(credits), price, FormatPrice(price, p.Currency)
	return p, nil
}

func (w *wtx) pkg(id int64) (Package, error) {
	p, err := scanPackage(w.queryRow(`SELECT id, name, credits_minor, price_minor, currency, discount, active, sort
		FROM ledger_packages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Active) {
		return p, fmt.Errorf("%w: %d", ErrUnknownPackage, id)
	}
	return p, err
}
