//! CSV exports, the most common and least standard format: with or without a header,
//! `,` `;` or tab separated, a signed amount or separate debit and credit columns, a
//! running balance or none, one account or an account-number column.
//!
//! Columns are recognised by what they hold (dates, money, text), with header words as
//! the tie-breaker when there is a header, never by a list of banks: a new bank's layout
//! works if its columns look like every other bank's. When the layout cannot be
//! recognised the error says which columns were found and what is missing. Everything
//! decided per file is decided from all rows first (the day/month order, the decimal
//! mark, which money column is the balance), then every row is read with it.

use csv::ByteRecord;

use crate::amounts::{self, DecimalMark, MarkVotes, Shape};
use crate::dates::{self, OrderVotes, RawDate};
use crate::{keys, text, Account, AccountKind, Format, Hints, ImportError, Statement, Transaction};

/// One record of the file and the line it starts on; its fields live in [`Table`].
struct Row<'a> {
    line: usize,
    fields: &'a [&'a str],
}

impl<'a> Row<'a> {
    #[inline]
    fn get(&self, col: usize) -> &'a str {
        self.fields.get(col).copied().unwrap_or("")
    }
}

/// Every field of the file in one buffer (two allocations for the whole file rather
/// than two per row).
struct Table {
    text: String,
    spans: Vec<(usize, usize)>,
    /// Line, first field, field count.
    rows: Vec<(usize, usize, usize)>,
}

/// What a column holds, counted over the data rows.
#[derive(Debug, Default, Clone)]
struct Column {
    index: usize,
    /// Header text, empty without a header.
    name: String,
    nonempty: usize,
    dates: usize,
    money: usize,
    integers: usize,
    texty: usize,
    total_len: usize,
    /// What its numeric values say about the decimal mark.
    marks: MarkVotes,
    /// What its dates say about the day/month order.
    votes: OrderVotes,
    /// The first currency its values name (`€`, `A$`, `AUD`).
    currency: Option<String>,
}

impl Column {
    fn is_date(&self) -> bool {
        self.dates > 0 && (self.dates * 2 > self.nonempty || header_is_date(&self.name))
    }

    fn is_money(&self) -> bool {
        let numeric = self.money + self.integers;
        !self.is_date()
            && numeric > 0
            && ((self.money > 0 && numeric * 2 > self.nonempty)
                || money_role(&self.name) != MoneyRole::Unknown)
    }

    fn is_text(&self) -> bool {
        self.texty * 2 > self.nonempty && !self.is_date() && !self.is_money()
    }

    /// How the column is named in an error: its header, else `role`.
    fn field(&self, role: &str) -> String {
        if self.name.is_empty() {
            role.to_string()
        } else {
            self.name.clone()
        }
    }

    fn describe(&self) -> String {
        let kind = if self.is_date() {
            "dates"
        } else if self.is_money() {
            "amounts"
        } else if self.nonempty == 0 {
            "empty"
        } else if self.integers * 2 > self.nonempty {
            "numbers"
        } else {
            "text"
        };
        if self.name.is_empty() {
            format!("column {} ({kind})", self.index + 1)
        } else {
            format!("{} ({kind})", self.name)
        }
    }
}

fn lower_words(name: &str) -> String {
    name.to_lowercase()
}

fn has_token(name: &str, word: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric())
        .any(|t| t == word)
}

fn header_is_date(name: &str) -> bool {
    let n = lower_words(name);
    [
        "date",
        "datum",
        "fecha",
        "time",
        "buchungstag",
        "wertstellung",
        "valuta",
    ]
    .iter()
    .any(|w| n.contains(w))
        || has_token(&n, "data")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MoneyRole {
    Balance,
    Debit,
    Credit,
    /// A signed amount; higher ranks win (`Total (AUD)` over `Subtotal (AUD)`).
    Amount(u8),
    Unknown,
}

fn money_role(name: &str) -> MoneyRole {
    let n = lower_words(name);
    let any = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if n.is_empty() {
        MoneyRole::Unknown
    } else if any(&["balance", "saldo", "solde", "kontostand"]) {
        MoneyRole::Balance
    } else if any(&[
        "debit",
        "withdrawal",
        "paid out",
        "money out",
        "spent",
        "outflow",
        "ausgang",
        "soll",
    ]) || has_token(&n, "out")
    {
        MoneyRole::Debit
    } else if any(&[
        "credit", "deposit", "paid in", "money in", "received", "inflow", "eingang", "haben",
    ]) || has_token(&n, "in")
    {
        MoneyRole::Credit
    } else if n.contains("subtotal") {
        MoneyRole::Amount(1)
    } else if any(&[
        "amount", "betrag", "montant", "importe", "bedrag", "total", "umsatz",
    ]) {
        MoneyRole::Amount(3)
    } else if any(&["value", "sum", "wert"]) {
        MoneyRole::Amount(2)
    } else {
        MoneyRole::Unknown
    }
}

/// 0: not a description (a category, a type); higher: more likely the description.
fn text_rank(name: &str) -> u8 {
    let n = lower_words(name);
    let any = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if n.is_empty() {
        1
    } else if any(&[
        "categor", "type", "tag", "method", "status", "currency", "account", "card", "serial",
        "bsb",
    ]) {
        0
    } else if any(&[
        "narrative",
        "description",
        "detail",
        "particulars",
        "beschreibung",
        "verwendungszweck",
        "buchungstext",
        "omschrijving",
        "libell",
        "descripci",
        "concepto",
    ]) {
        4
    } else if any(&[
        "payee",
        "merchant",
        "name",
        "counterpart",
        "empfänger",
        "recipient",
        "beneficiary",
    ]) {
        3
    } else if any(&["memo", "reference", "remark", "note", "text"]) {
        2
    } else {
        1
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRole {
    Posted,
    Generic,
    Transaction,
}

fn date_role(name: &str) -> DateRole {
    let n = lower_words(name);
    let any = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if any(&[
        "post",
        "settle",
        "process",
        "booking",
        "buchung",
        "cleared",
        "value",
        "valuta",
        "wertstellung",
    ]) {
        DateRole::Posted
    } else if any(&["transaction", "time", "purchase", "effective", "trans"]) {
        DateRole::Transaction
    } else {
        DateRole::Generic
    }
}

fn is_account_header(name: &str) -> bool {
    let n = lower_words(name);
    (n.contains("account") || n.contains("konto") || has_token(&n, "iban") || has_token(&n, "bsb"))
        && !n.contains("name")
        && !n.contains("type")
}

fn is_currency_header(name: &str) -> bool {
    let n = lower_words(name);
    ["currency", "währung", "devise", "moneda", "valuta"]
        .iter()
        .any(|w| n == *w || n.starts_with(w))
        && !n.contains('(')
}

/// How a row's amount is read.
#[derive(Debug, Clone, Copy)]
enum AmountCols {
    Signed(usize),
    DebitCredit { debit: usize, credit: usize },
}

/// Everything decided for the file before its rows are read.
struct Layout {
    post: usize,
    alt_date: Option<usize>,
    amount: AmountCols,
    balance: Option<usize>,
    description: Option<usize>,
    account: Option<usize>,
    currency: Option<usize>,
    /// A DR/CR column giving the sign of an unsigned amount column.
    indicator: Option<usize>,
    order: dates::DateOrder,
    /// Each money column's cents by row (see [`recognise`]).
    cents: Vec<Option<Vec<Option<i64>>>>,
}

pub(crate) fn read(text: &str, hints: &Hints) -> Result<Statement, ImportError> {
    let delimiter = sniff_delimiter(text);
    let Table {
        text: cells,
        spans,
        rows: records,
    } = records(text, delimiter)?;
    let fields: Vec<&str> = spans.iter().map(|&(a, b)| &cells[a..b]).collect();
    drop(spans);
    let rows: Vec<Row<'_>> = records
        .iter()
        .map(|&(line, first, n)| Row {
            line,
            fields: &fields[first..first + n],
        })
        .collect();
    drop(records);
    let (header, start) = find_header(&rows);
    let data = &rows[start..];
    if data.is_empty() && header.is_none() {
        return Err(ImportError::file(format!(
            "the file is not a statement export: not OFX or QIF, and no rows with dates and amounts; {}",
            "export OFX, QIF or CSV from your bank"
        )));
    }
    if data.is_empty() {
        let what = match header {
            Some(h) => {
                let names: Vec<&str> = h.fields.iter().copied().filter(|f| !f.is_empty()).collect();
                format!(" (only a header row: {})", names.join(", "))
            }
            None => String::new(),
        };
        return Err(ImportError::file(format!(
            "the file holds no transactions{what}"
        )));
    }
    let columns = profile(header, data);
    let layout = recognise(&columns, data, delimiter, hints)?;
    build(&layout, &columns, data, hints)
}

/// The separator that splits most sample lines into the same number of fields; `;` and
/// tab win over `,` when consistent (decimal commas put commas in `;` files).
fn sniff_delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best: Option<(u8, usize)> = None;
    let mut fallback = (b',', 0usize);
    for d in [b'\t', b';', b'|', b','] {
        let counts: Vec<usize> = sample.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mut freq: Vec<(usize, usize)> = Vec::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            match freq.iter_mut().find(|(k, _)| *k == c) {
                Some(f) => f.1 += 1,
                None => freq.push((c, 1)),
            }
        }
        let hits = freq.iter().map(|f| f.1).max().unwrap_or(0);
        if hits * 10 >= sample.len() * 6 && hits > 0 && best.is_none() {
            best = Some((d, hits));
        }
        let nonzero = counts.iter().filter(|&&c| c > 0).count();
        if nonzero > fallback.1 {
            fallback = (d, nonzero);
        }
    }
    best.map_or(fallback.0, |b| b.0)
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

fn records(text: &str, delimiter: u8) -> Result<Table, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut rows = Vec::new();
    let mut record = ByteRecord::new();
    let mut lines = Lines {
        text: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let first = spans.len();
                for field in &record {
                    let field = field.trim_ascii();
                    let start = bytes.len();
                    bytes.extend_from_slice(field);
                    spans.push((start, bytes.len()));
                }
                if spans[first..].iter().all(|(a, b)| a == b) {
                    spans.truncate(first);
                    continue;
                }
                let line = lines.at(record.position().map_or(0, |p| p.byte() as usize));
                rows.push((line, first, record.len()));
            }
            Ok(false) => break,
            Err(e) => {
                let line = lines.at(e.position().map_or(0, |p| p.byte() as usize));
                return Err(ImportError::at(
                    line,
                    "CSV",
                    format!("the CSV cannot be read: {e}"),
                ));
            }
        }
    }
    // The input is text and fields are split at ASCII bytes, so this always holds; it is
    // checked once for the whole file rather than once per row.
    let text =
        String::from_utf8(bytes).map_err(|_| ImportError::file("the CSV is not valid text"))?;
    if spans
        .iter()
        .any(|&(a, b)| !text.is_char_boundary(a) || !text.is_char_boundary(b))
    {
        return Err(ImportError::file("the CSV is not valid text"));
    }
    Ok(Table { text, spans, rows })
}

/// The line a record starts on. csv's own line count lags by one after a CRLF (the LF is
/// read with the next record), so lines are counted here from the record's byte offset,
/// past any line ends it points at. Offsets only grow, so counting is linear.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while matches!(self.text.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte > self.pos {
            self.line += self.text[self.pos..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.pos = byte;
        }
        self.line
    }
}

/// Leading rows of only words (at least two fields) are header candidates, the last one
/// the header; single-field lines before it ("Account: Everyday") are a preamble. Data
/// starts at the first other row.
fn find_header<'r, 'a>(rows: &'r [Row<'a>]) -> (Option<&'r Row<'a>>, usize) {
    let mut header = None;
    for (i, row) in rows.iter().enumerate() {
        let nonempty: Vec<&str> = row
            .fields
            .iter()
            .copied()
            .filter(|f| !f.is_empty())
            .collect();
        let wordy = nonempty.iter().all(|f| {
            f.chars().any(char::is_alphabetic)
                && dates::scan(f).is_none()
                && amounts::shape(f) == Shape::Other
        });
        if wordy && row.fields.len() >= 2 && nonempty.len() >= 2 {
            header = Some(i);
        } else if wordy && nonempty.len() <= 1 {
            continue;
        } else {
            return (header.map(|h| &rows[h]), i);
        }
    }
    (header.map(|h| &rows[h]), rows.len())
}

fn profile(header: Option<&Row<'_>>, data: &[Row<'_>]) -> Vec<Column> {
    let width = data
        .iter()
        .map(|r| r.fields.len())
        .chain(header.map(|h| h.fields.len()))
        .max()
        .unwrap_or(0);
    let mut columns: Vec<Column> = (0..width)
        .map(|index| Column {
            index,
            name: header
                .map(|h| text::clean(h.get(index)))
                .unwrap_or_default(),
            ..Column::default()
        })
        .collect();
    for row in data {
        for (col, value) in columns.iter_mut().zip(row.fields.iter().copied()) {
            if value.is_empty() {
                continue;
            }
            col.nonempty += 1;
            col.total_len += value.len();
            if let Some(raw) = dates::scan(value) {
                col.dates += 1;
                col.votes.add(raw, row.line, value);
                continue;
            }
            match amounts::split(value) {
                Some(parts) => {
                    if parts.marked || parts.body.contains(['.', ',']) {
                        col.money += 1;
                    } else {
                        col.integers += 1;
                    }
                    let field = if col.name.is_empty() {
                        "amount"
                    } else {
                        col.name.as_str()
                    };
                    col.marks.note(&parts, row.line, value, field);
                    if col.currency.is_none() {
                        col.currency = parts.currency.filter(|c| !c.is_empty()).map(str::to_string);
                    }
                }
                None => col.texty += usize::from(value.chars().any(char::is_alphabetic)),
            }
        }
    }
    columns
}

fn found(columns: &[Column]) -> String {
    let list: Vec<String> = columns
        .iter()
        .filter(|c| c.nonempty > 0 || !c.name.is_empty())
        .map(Column::describe)
        .collect();
    format!("found columns: {}", list.join(", "))
}

fn recognise(
    columns: &[Column],
    data: &[Row<'_>],
    delimiter: u8,
    hints: &Hints,
) -> Result<Layout, ImportError> {
    let rows = data.len();
    let dates: Vec<&Column> = columns.iter().filter(|c| c.is_date()).collect();
    if dates.is_empty() {
        return Err(ImportError::file(format!(
            "{}; no date column",
            found(columns)
        )));
    }
    // The posted date: a column named for posting (`Settled Date`, `Post Date`), with the
    // file's other dated column as the transaction date that also fills its gaps (a
    // pending row has no settled date yet). Without one, the first full column (generic
    // names first), with a column named for the transaction as the transaction date.
    let named = |role: DateRole| {
        dates
            .iter()
            .copied()
            .find(|c| !c.name.is_empty() && date_role(&c.name) == role)
    };
    let full = |c: &&Column| c.nonempty == rows;
    let (post, alt_date) = match named(DateRole::Posted) {
        Some(posted) => {
            let other = dates
                .iter()
                .copied()
                .filter(|c| c.index != posted.index && !c.name.is_empty());
            let other = other.max_by_key(|c| (c.nonempty, std::cmp::Reverse(c.index)));
            (posted, other.map(|c| c.index))
        }
        None => {
            let post = dates
                .iter()
                .copied()
                .find(|c| date_role(&c.name) == DateRole::Generic && full(c))
                .or_else(|| dates.iter().copied().find(full))
                .or_else(|| {
                    dates
                        .iter()
                        .copied()
                        .max_by_key(|c| (c.nonempty, std::cmp::Reverse(c.index)))
                })
                .ok_or_else(|| ImportError::file(format!("{}; no date column", found(columns))))?;
            let alt = dates.iter().find(|c| {
                c.index != post.index
                    && !c.name.is_empty()
                    && date_role(&c.name) == DateRole::Transaction
            });
            (post, alt.map(|c| c.index))
        }
    };

    let money: Vec<&Column> = columns.iter().filter(|c| c.is_money()).collect();
    // The decimal mark, from every money value of the file.
    let mut marks = MarkVotes::default();
    for col in &money {
        marks.merge(&col.marks);
    }
    marks.check()?;
    let mark = marks.decide(if delimiter == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    });
    // Every money column read once, here; `None` for an empty or unreadable cell.
    let mut cents: Vec<Option<Vec<Option<i64>>>> = vec![None; columns.len()];
    for col in &money {
        cents[col.index] = Some(
            data.iter()
                .map(|r| amounts::split(r.get(col.index)).and_then(|p| amounts::cents(&p, mark)))
                .collect(),
        );
    }
    let parsed = |col: usize| -> &[Option<i64>] { cents[col].as_deref().unwrap_or(&[]) };

    let role_of = |role: MoneyRole| {
        money
            .iter()
            .find(|c| money_role(&c.name) == role)
            .map(|c| c.index)
    };
    let mut balance = role_of(MoneyRole::Balance);
    let (debit, credit) = (role_of(MoneyRole::Debit), role_of(MoneyRole::Credit));
    let named_amount = money
        .iter()
        .filter_map(|c| match money_role(&c.name) {
            MoneyRole::Amount(rank) => Some((rank, c.index)),
            _ => None,
        })
        .max_by_key(|&(rank, index)| (rank, std::cmp::Reverse(index)))
        .map(|(_, i)| i);
    let amount = match (debit, credit, named_amount) {
        (Some(debit), Some(credit), _) => AmountCols::DebitCredit { debit, credit },
        (_, _, Some(a)) => AmountCols::Signed(a),
        _ => {
            // No header words to go by: decide from the values.
            let free: Vec<usize> = money
                .iter()
                .filter(|c| money_role(&c.name) == MoneyRole::Unknown || (c.name.is_empty()))
                .map(|c| c.index)
                .filter(|&i| Some(i) != balance)
                .collect();
            match free.as_slice() {
                [] => {
                    return Err(ImportError::file(format!(
                        "{}; no amount column (a signed amount, or debit and credit)",
                        found(columns)
                    )))
                }
                [a] => AmountCols::Signed(*a),
                [a, b, rest @ ..] => {
                    let (va, vb) = (parsed(*a), parsed(*b));
                    if balance.is_none() && rest.is_empty() && chain_fits(va, vb) {
                        balance = Some(*b);
                        AmountCols::Signed(*a)
                    } else if balance.is_none() && rest.is_empty() && chain_fits(vb, va) {
                        balance = Some(*a);
                        AmountCols::Signed(*b)
                    } else if exclusive(va, vb) {
                        if balance.is_none() {
                            balance = rest.last().copied();
                        }
                        AmountCols::DebitCredit {
                            debit: *a,
                            credit: *b,
                        }
                    } else {
                        if balance.is_none() {
                            balance = rest.last().copied().or(Some(*b));
                        }
                        AmountCols::Signed(*a)
                    }
                }
            }
        }
    };
    // Without header words, which of two exclusive columns is the debit: the balance says.
    let amount = match amount {
        AmountCols::DebitCredit { debit, credit }
            if money_role(&columns[debit].name) != MoneyRole::Debit =>
        {
            match balance {
                Some(b) => {
                    let (d, c, bal) = (parsed(debit), parsed(credit), parsed(b));
                    let as_given: Vec<Option<i64>> = signed(d, c);
                    let swapped: Vec<Option<i64>> = signed(c, d);
                    if chain_score(&swapped, bal) > chain_score(&as_given, bal) {
                        AmountCols::DebitCredit {
                            debit: credit,
                            credit: debit,
                        }
                    } else {
                        amount
                    }
                }
                None => amount,
            }
        }
        other => other,
    };

    let used: Vec<usize> = match amount {
        AmountCols::Signed(a) => vec![a],
        AmountCols::DebitCredit { debit, credit } => vec![debit, credit],
    };
    let account = columns
        .iter()
        .find(|c| is_account_header(&c.name) && c.nonempty > 0 && !c.is_money())
        .map(|c| c.index);
    let currency = columns
        .iter()
        .find(|c| is_currency_header(&c.name) && c.nonempty > 0 && !c.is_money() && !c.is_date())
        .map(|c| c.index);
    let indicator = columns
        .iter()
        .find(|c| {
            c.nonempty > 0
                && data.iter().all(|r| {
                    let v = r.get(c.index);
                    v.is_empty()
                        || ["dr", "cr", "d", "c", "debit", "credit"]
                            .iter()
                            .any(|w| v.eq_ignore_ascii_case(w))
                })
        })
        .map(|c| c.index);
    let description = columns
        .iter()
        .filter(|c| {
            c.is_text()
                && Some(c.index) != account
                && Some(c.index) != currency
                && Some(c.index) != indicator
        })
        .filter(|c| !used.contains(&c.index) && Some(c.index) != balance)
        .max_by_key(|c| {
            (
                text_rank(&c.name),
                c.total_len / c.nonempty.max(1),
                std::cmp::Reverse(c.index),
            )
        })
        .map(|c| c.index);

    let mut votes = post.votes.clone();
    if let Some(alt) = alt_date {
        votes.merge(&columns[alt].votes);
    }
    let order = votes.decide(hints, &post.field("date"))?;
    Ok(Layout {
        post: post.index,
        alt_date,
        amount,
        balance,
        description,
        account,
        currency,
        indicator,
        order,
        cents,
    })
}

/// Signed amounts from debit and credit values (both written positive).
fn signed(debit: &[Option<i64>], credit: &[Option<i64>]) -> Vec<Option<i64>> {
    debit
        .iter()
        .zip(credit)
        .map(|(d, c)| match (d, c) {
            (None, None) => None,
            _ => Some(c.unwrap_or(0).abs() - d.unwrap_or(0).abs()),
        })
        .collect()
}

/// Consecutive rows where `balance` moves by `amount`, read oldest-first or newest-first.
fn chain_score(amount: &[Option<i64>], balance: &[Option<i64>]) -> usize {
    let (forward, backward) = chain_counts(amount, balance);
    forward.max(backward)
}

fn chain_counts(amount: &[Option<i64>], balance: &[Option<i64>]) -> (usize, usize) {
    let (mut forward, mut backward) = (0, 0);
    for i in 1..amount.len().min(balance.len()) {
        if let (Some(b0), Some(b1), Some(a0), Some(a1)) =
            (balance[i - 1], balance[i], amount[i - 1], amount[i])
        {
            forward += usize::from(b0.checked_add(a1) == Some(b1));
            backward += usize::from(b1.checked_add(a0) == Some(b0));
        }
    }
    (forward, backward)
}

/// `balance` is a running balance of `amount` on at least 80 % of consecutive rows.
fn chain_fits(amount: &[Option<i64>], balance: &[Option<i64>]) -> bool {
    let pairs = amount.len().saturating_sub(1);
    pairs > 0 && chain_score(amount, balance) * 10 >= pairs * 8
}

/// Every row has a non-zero value in exactly one of the two columns: debit and credit.
fn exclusive(a: &[Option<i64>], b: &[Option<i64>]) -> bool {
    let nz = |v: &Option<i64>| v.is_some_and(|x| x != 0);
    a.iter().zip(b).all(|(x, y)| nz(x) != nz(y))
}

fn build(
    layout: &Layout,
    columns: &[Column],
    data: &[Row<'_>],
    hints: &Hints,
) -> Result<Statement, ImportError> {
    let field = |col: usize, role: &str| columns[col].field(role);
    let money =
        |i: usize, row: &Row<'_>, col: usize, role: &str| -> Result<Option<i64>, ImportError> {
            let v = row.get(col);
            if v.is_empty() {
                return Ok(None);
            }
            match layout.cents[col].as_ref().and_then(|c| c[i]) {
                Some(cents) => Ok(Some(cents)),
                None => Err(ImportError::not_an_amount(row.line, field(col, role), v)),
            }
        };
    let date = |row: &Row<'_>, col: usize| -> Result<Option<chrono::NaiveDate>, ImportError> {
        let v = row.get(col);
        if v.is_empty() {
            return Ok(None);
        }
        dates::scan(v)
            .and_then(|raw: RawDate| raw.resolve(layout.order))
            .map(Some)
            .ok_or_else(|| ImportError::not_a_date(row.line, field(col, "date"), v))
    };
    let signs_apply = match (layout.amount, layout.indicator) {
        (AmountCols::Signed(a), Some(_)) => data
            .iter()
            .all(|r| amounts::split(r.get(a)).is_none_or(|p| !p.negative)),
        _ => false,
    };

    // Accounts in order of first appearance: (number, rows, seen currency).
    let mut groups: Vec<(String, Vec<Transaction>, Option<String>, keys::RowKeys)> = Vec::new();
    for (i, row) in data.iter().enumerate() {
        let posted = date(row, layout.post)?;
        let alt = match layout.alt_date {
            Some(c) => date(row, c)?,
            None => None,
        };
        let post_date = posted.or(alt).ok_or_else(|| {
            ImportError::at(
                row.line,
                field(layout.post, "date"),
                format!("the {} is empty", field(layout.post, "date")),
            )
        })?;
        let transaction_date = alt.unwrap_or(post_date);
        let amount = match layout.amount {
            AmountCols::Signed(a) => {
                let cents = money(i, row, a, "amount")?.ok_or_else(|| {
                    ImportError::at(
                        row.line,
                        field(a, "amount"),
                        format!("the {} is empty", field(a, "amount")),
                    )
                })?;
                let debit = layout.indicator.is_some_and(|i| {
                    let v = row.get(i);
                    ["dr", "d", "debit"]
                        .iter()
                        .any(|w| v.eq_ignore_ascii_case(w))
                });
                if signs_apply && debit {
                    -cents
                } else {
                    cents
                }
            }
            AmountCols::DebitCredit { debit, credit } => {
                let d = money(i, row, debit, "debit")?;
                let c = money(i, row, credit, "credit")?;
                if d.is_none() && c.is_none() {
                    return Err(ImportError::at(
                        row.line,
                        field(debit, "debit"),
                        format!(
                            "neither {} nor {} has an amount",
                            field(debit, "debit"),
                            field(credit, "credit")
                        ),
                    ));
                }
                let d = d.unwrap_or(0).checked_abs().unwrap_or(i64::MAX);
                let c = c.unwrap_or(0).checked_abs().unwrap_or(i64::MAX);
                c - d
            }
        };
        let balance = match layout.balance {
            Some(b) => money(i, row, b, "balance")?,
            None => None,
        };
        let description = layout
            .description
            .map(|c| text::clean(row.get(c)))
            .unwrap_or_default();
        let number = layout
            .account
            .map(|c| text::clean(row.get(c)))
            .unwrap_or_default();
        let currency = layout
            .currency
            .map(|c| row.get(c).trim().to_ascii_uppercase())
            .filter(|c| c.len() == 3);
        let tx = Transaction {
            key: String::new(),
            post_date,
            transaction_date,
            amount,
            description,
            balance,
            line: row.line,
        };
        // Keys as rows are made (no second pass over the rows): CSV has no bank ids.
        let group = match groups.iter().position(|g| g.0 == number) {
            Some(g) => g,
            None => {
                let first = groups.is_empty();
                let capacity = if first { data.len() } else { 16 };
                groups.push((
                    number,
                    Vec::with_capacity(capacity),
                    None,
                    keys::RowKeys::with_capacity(capacity),
                ));
                groups.len() - 1
            }
        };
        let g = &mut groups[group];
        let mut tx = tx;
        tx.key = g.3.key(&tx);
        g.1.push(tx);
        if g.2.is_none() {
            g.2 = currency;
        }
    }

    // A currency the amounts name: in their values (`€`), else in their header (`Total (AUD)`).
    let amount_cols = match layout.amount {
        AmountCols::Signed(a) => vec![a],
        AmountCols::DebitCredit { debit, credit } => vec![debit, credit],
    };
    let header_currency = amount_cols
        .iter()
        .find_map(|&c| columns[c].currency.clone())
        .or_else(|| {
            amount_cols
                .iter()
                .find_map(|&c| currency_in_header(&columns[c].name))
        });
    let accounts = groups
        .into_iter()
        .map(|(number, transactions, currency, _)| {
            let balance = closing_balance(&transactions);
            let currency = currency
                .or_else(|| header_currency.clone())
                .or_else(|| hints.currency.clone())
                .unwrap_or_else(|| "AUD".to_string())
                .to_ascii_uppercase();
            let tail = text::last4(&number);
            Account {
                key: if number.is_empty() {
                    "file".to_string()
                } else {
                    format!("csv:{number}")
                },
                number: text::mask(&number),
                name: if tail.is_empty() {
                    "Statement account".to_string()
                } else {
                    format!("Account {tail}")
                },
                kind: AccountKind::Transaction,
                currency,
                balance,
                available: None,
                transactions,
            }
        })
        .collect();
    Ok(Statement {
        format: Format::Csv,
        accounts,
    })
}

/// `Total (AUD)` → `AUD`.
fn currency_in_header(name: &str) -> Option<String> {
    name.split(|c: char| !c.is_ascii_alphabetic())
        .find(|t| t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
}

/// The balance after the chronologically last row. Files may list newest first: the
/// dates say which end is the latest; when they do not (one day), the running balance
/// does.
fn closing_balance(txs: &[Transaction]) -> Option<i64> {
    let (first, last) = (txs.first()?, txs.last()?);
    let newest_first = if first.post_date != last.post_date {
        first.post_date > last.post_date
    } else {
        let amounts: Vec<Option<i64>> = txs.iter().map(|t| Some(t.amount)).collect();
        let balances: Vec<Option<i64>> = txs.iter().map(|t| t.balance).collect();
        let (forward, backward) = chain_counts(&amounts, &balances);
        backward > forward
    };
    if newest_first {
        txs.iter().find_map(|t| t.balance)
    } else {
        txs.iter().rev().find_map(|t| t.balance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(
            sniff_delimiter("21.08.2026;-110,70 €;REWE;1.234,56\n22.08.2026;-5,00 €;DB;1.229,56\n"),
            b';'
        );
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b\";c\n\"d,e\";f\n"), b';');
    }

    #[test]
    fn header_words_name_money_roles() {
        assert_eq!(money_role("Debit Amount"), MoneyRole::Debit);
        assert_eq!(money_role("Credit Amount"), MoneyRole::Credit);
        assert_eq!(money_role("Balance"), MoneyRole::Balance);
        assert_eq!(money_role("Total (AUD)"), MoneyRole::Amount(3));
        assert_eq!(money_role("Subtotal (AUD)"), MoneyRole::Amount(1));
        assert_eq!(money_role("Round Up (AUD)"), MoneyRole::Unknown);
        assert_eq!(money_role("Money In"), MoneyRole::Credit);
        assert_eq!(money_role("Paid out"), MoneyRole::Debit);
        assert_eq!(currency_in_header("Total (AUD)").as_deref(), Some("AUD"));
    }

    #[test]
    fn running_balances_are_recognised_both_ways() {
        let a = [Some(-100), Some(-50), Some(200)];
        let b = [Some(900), Some(850), Some(1050)];
        assert!(chain_fits(&a, &b));
        let a_rev = [Some(200), Some(-50), Some(-100)];
        let b_rev = [Some(1050), Some(850), Some(900)];
        assert!(chain_fits(&a_rev, &b_rev));
        assert!(!chain_fits(&b, &a));
    }
}
