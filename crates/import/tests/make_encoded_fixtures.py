#!/usr/bin/env python3
"""Writes the fixtures (into tests/fixtures, run from there) whose bytes are not UTF-8 (UTF-16, Windows-1252, ISO-8859-1) and
the binary ones. Run once; the output is committed, tests never run this."""

import random

CSV = (
    "Date,Description,Amount,Balance\r\n"
    "21/08/2026,Bäckerei Müller München,-4.50,995.50\r\n"
    "22/08/2026,Café Sienna € card,-12.00,983.50\r\n"
)

def utf16(text, order, bom):
    data = text.encode("utf-16-le" if order == "le" else "utf-16-be")
    if bom:
        data = (b"\xff\xfe" if order == "le" else b"\xfe\xff") + data
    return data

for order in ("le", "be"):
    for bom in (True, False):
        name = f"csv_utf16{order}_{'bom' if bom else 'nobom'}.csv"
        open(name, "wb").write(utf16(CSV, order, bom))

open("csv_utf8_bom.csv", "wb").write(b"\xef\xbb\xbf" + CSV.encode("utf-8"))

open("csv_windows1252_undeclared.csv", "wb").write((
    "Date,Description,Amount\r\n"
    "21/08/2026,Café Sienna Surry Hills,-12.00\r\n"
    "22/08/2026,Bäckerei Müller Wien €,-4.50\r\n"
    "23/08/2026,Compra cartão Lisboa,-30.00\r\n"
).encode("cp1252"))

open("csv_iso8859_1_undeclared.csv", "wb").write((
    "Date,Description,Amount\r\n"
    "21/08/2026,Pão de Açúcar cartão,-12.00\r\n"
    "22/08/2026,Bäckerei Müller,-4.50\r\n"
).encode("latin-1"))

SGML_HEAD = (
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
    "CHARSET:{charset}\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
)
BODY = (
    "<OFX>\r\n<BANKMSGSRSV1>\r\n<STMTTRNRS>\r\n<TRNUID>1\r\n<STMTRS>\r\n<CURDEF>EUR\r\n"
    "<BANKACCTFROM>\r\n<BANKID>30003\r\n<ACCTID>FR7630003000\r\n<ACCTTYPE>CHECKING\r\n</BANKACCTFROM>\r\n"
    "<BANKTRANLIST>\r\n<DTSTART>20260801\r\n<DTEND>20260821\r\n"
    "<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<DTPOSTED>20260802\r\n<TRNAMT>-12.50\r\n<FITID>E1\r\n"
    "<NAME>Café Müller\r\n<MEMO>Wien 12,50 €\r\n</STMTTRN>\r\n"
    "<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<DTPOSTED>20260803\r\n<TRNAMT>-30,00\r\n<FITID>E2\r\n"
    "<NAME>Compra cartão\r\n<MEMO>Lisboa\r\n</STMTTRN>\r\n"
    "</BANKTRANLIST>\r\n<LEDGERBAL>\r\n<BALAMT>957,50\r\n<DTASOF>20260821\r\n</LEDGERBAL>\r\n"
    "</STMTRS>\r\n</STMTTRNRS>\r\n</BANKMSGSRSV1>\r\n</OFX>\r\n"
)
open("ofx1_charset_1252.ofx", "wb").write((SGML_HEAD.format(charset="1252") + BODY).encode("cp1252"))
# The header says nothing useful (CHARSET:NONE, ENCODING:USASCII) but the text is 1252.
open("ofx_undeclared_1252.ofx", "wb").write((SGML_HEAD.format(charset="NONE") + BODY).encode("cp1252"))

open("ofx2_encoding_iso8859_1.ofx", "wb").write((
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
    "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STMTRS><CURDEF>EUR</CURDEF>\n"
    "<BANKACCTFROM><BANKID>20041</BANKID><ACCTID>DE89370400440532013000</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>\n"
    "<BANKTRANLIST>\n"
    "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260804</DTPOSTED><TRNAMT>-8.40</TRNAMT><FITID>L1</FITID>"
    "<NAME>Bäckerei Müller</NAME><MEMO>Straße 5, München</MEMO></STMTTRN>\n"
    "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260805</DTPOSTED><TRNAMT>-19.90</TRNAMT><FITID>L2</FITID>"
    "<NAME>Livraria cartão</NAME></STMTTRN>\n"
    "</BANKTRANLIST><LEDGERBAL><BALAMT>471.70</BALAMT><DTASOF>20260821</DTASOF></LEDGERBAL>"
    "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
).encode("latin-1"))

# A PDF statement (the start of one: enough to be recognised).
open("statement.pdf", "wb").write(
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

rng = random.Random(20260821)
open("random_bytes.bin", "wb").write(bytes(rng.randrange(256) for _ in range(2048)))
