/* check_amounts.c - the reader of amounts in running text (fetch/amounts.c): real
 * sentences from Greve's agendas 2022-2024 and sentences worded as other municipalities
 * word them, each with every amount it holds, its years, whether it is per year, a
 * total, a price per unit or one end of a range, and what the words before it say it
 * is (a saving, an expense, a budget already there, construction money). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amounts.h"
#include "ideabank/buf.h"
#include "runner.h"

static const char *const cue_names[] = {"-",	   "saving",	   "expense",
					"context", "construction", "external"};

/* The amounts of z as one line: "250000 2023 expense | 500000 2024+ yearly expense".
 * Years: "2023", "2023-2025", "2024+" (from that year on), "-" (none). */
static const char *describe(const char *z)
{
	static char out[4096];
	ib_tamount *a = NULL;
	size_t n = 0;
	ck_assert_int_eq(ib_amounts_read(z, strlen(z), &a, &n), 0);
	ib_buf b;
	ib_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		char years[32];
		if (!a[i].year)
			snprintf(years, sizeof years, "-");
		else if (!a[i].year_to)
			snprintf(years, sizeof years, "%d+", a[i].year);
		else if (a[i].year_to != a[i].year)
			snprintf(years, sizeof years, "%d-%d", a[i].year, a[i].year_to);
		else
			snprintf(years, sizeof years, "%d", a[i].year);
		ib_buf_addf(&b, "%s%.0f %s%s%s%s%s%s %s", i ? " | " : "", a[i].kr, years,
			    a[i].yearly ? " yearly" : "", a[i].total ? " total" : "",
			    a[i].per_unit ? " unit" : "", a[i].range ? " range" : "",
			    a[i].low ? " low" : "",
			    cue_names[a[i].cue]);
		if (a[i].income)
			ib_buf_adds(&b, "+income");
	}
	snprintf(out, sizeof out, "%s", ib_buf_str(&b));
	ib_buf_free(&b);
	free(a);
	return out;
}

static const struct {
	const char *text, *want;
} sentences[] = {
    /* Greve 2022-2024 */
    {"at budgettet til Akuttilbuddet under Sundheds- og Omsorgsudvalget forhøjes med 0,250 "
     "mio. kr. i 2023 og 0,500 mio. kr. i 2024 og frem, finansieret af en reduktion af "
     "budgettet til eksterne botilbud",
     "250000 2023 expense | 500000 2024+ yearly expense"},
    {"Ændringen i grundbidrag giver en samlet besparelse for Greve Kommune på 586.000 kr. fra "
     "2024 og frem.",
     "586000 2024+ yearly total saving"},
    {"Driftsbesparelsen er med ovenstående tiltag på 312.500 kr. om året fra 2024 og frem.",
     "312500 2024+ yearly saving"},
    {"Det betyder en udgift på 200.000 kr. og 300.000 kr. i henholdsvis 2025 og 2026.",
     "200000 2025 expense | 300000 2026 expense"},
    {"Hidtil har kommunerne hver især bidraget med 50.000 kr. i henholdsvis 2023 og 2024.",
     "50000 2023-2024 context"},
    {"Det svarer til 828.000 kr. i 2023-PL.", "828000 - -"},
    {"Der blev med Budget 2021-2024 afsat årligt 800.000 kr. (i 2020-PL).",
     "800000 - yearly context"},
    {"Endelig skal nævnes, at Greve Kommune betaler tomgangsleje i boligfællesskabets nu tre "
     "ledige boliger med i alt ca. 28.000 kr. om måneden.",
     "28000 - total unit -"},
    {"Prisen for et sammenligneligt eksternt botilbud ligger i størrelsesorden ca. 0,6 – 0,8 "
     "mio. kr. årligt.",
     "600000 - yearly range low - | 700000 - yearly range -"},
    {"Medlemskontingentet for Greve Kommune vil ifølge det oplyste beløbe sig til 110.000 kr. "
     "i år 2022 og 130.000 kr. i år 2023.",
     "110000 2022 expense | 130000 2023 expense"},
    {"Der er ikke afsat budget til byrådsmedlemmernes vederlag samt udgifter til støjrådets "
     "møder, som i alt forventes at udgøre ca. 120.000 kr. årligt.",
     "120000 - yearly total expense"},
    {"at der afsættes rådighedsbeløb til indtægter i 2022 og meddeles anlægsbevilling til "
     "indtægter på 109.500 kr.",
     "109500 2022 construction"},
    {"at gebyr for rottebekæmpelse i 2025 fastsættes til en enhedspris på 0,40 kr. pr. m2. at "
     "der meddeles tillægsbevilling til indtægterne på 0,354 mio. kr. i mindre indtægt i 2025",
     "0 2025 unit - | 354000 2025 expense"},
    {"at besparelsen pr. år på hhv. 0,058 mio. kr. (rådhusets budget) og 0,189 mio. kr. "
     "(institutionernes budget) indarbejdes som teknisk korrektion til budget 2024-2027.",
     "58000 - yearly saving | 189000 - yearly saving"},
    {"Det indstilles, at udgiften til arkivering håndteres som en teknisk rettelse på "
     "450.000 kr. i Budget 2024-27.",
     "450000 2024 expense"},
    {"Entreprenøren har givet et bud på, at der varigt kan spares op mod 50.000- 100.000 kr. "
     "om året.",
     "50000 - yearly range low saving | 75000 - yearly range saving"},
    {"Fra 2023 og frem er forpagtningsafgiften markedsreguleret, så den stiger fra 2.174 "
     "kr./ha årligt, hvilket svarer til 35.000 kr. årligt.",
     "2174 2023+ yearly unit - | 35000 - yearly -"},
    {"Den økonomiske konsekvens for de berørte familier er estimeret til ca. 11.700 kr. årligt.",
     "11700 - yearly -"},
    {"Fra 2026 en indtægt på 1,5 mio. kr.", "1500000 2026+ yearly saving+income"},
    {"I 2025 og frem giver det en indtægt på cirka 86.000 kr.", "86000 2025+ yearly saving+income"},
    {"Med budget 2021 er der afsat rådighedsbeløb på i alt 79,4 mio. kr. fra 2023 til 2026 til "
     "bygningsoptimering.",
     "79400000 2023-2026 total construction"},
    {"Kommune-tv's basisløsning vil koste 120.000 kroner i etablering og 90.000 kroner i årlig "
     "drift - svarende til 7.500 kroner pr. måned.",
     "120000 - expense | 90000 - yearly expense | 7500 - unit expense"},
    {"Udgiften for hele 2023 vil blive 10-12 millioner kr. mere end det budgetterede.",
     "10000000 - range low expense | 11000000 - range expense"},
    {"Der er i 2023 budgetteret med en indtægt på ca. 1,3 mio. kr. i byggesagsgebyrer.",
     "1300000 2023 saving+income"},
    {"Byrådet afsatte 3,2 mio. kr. ved budgetlægningen for 2025 der skal øge bevillingen.",
     "3200000 - context"},
    {"Den samlede anlægsudgift vil derfor udgøre imellem ca. 3,4 mio. kr. i 2022 for "
     "etablering af pavilloner.",
     "3400000 2022 total construction"},
    {"Den afledte drift er ikke vurderet konkret, men anslås til maksimalt at kunne udgøre "
     "20.000 kr. om året i alt.",
     "20000 - yearly range expense"},
    /* other municipalities' wordings (invented) */
    {"Forslaget giver en årlig besparelse på 1,2 mio. kr. fra 2026 og en halvårseffekt på "
     "0,6 mio. kr. i 2025.",
     "1200000 2026+ yearly saving | 600000 2025 saving"},
    {"Merudgiften udgør 350 t.kr. i 2025 og 700 t.kr. årligt fra 2026.",
     "350000 2025 expense | 700000 2026+ yearly expense"},
    {"Tiltaget medfører en mindreindtægt på 45.000 kr. om året.", "45000 - yearly expense"},
    /* what it is, then its years: "til en teknisk rettelse i 2026 og frem" */
    {"at der indarbejdes en udgift på 0,7 mio. kr. om året som en teknisk rettelse i 2026 og frem.",
     "700000 2026+ yearly expense"},
    /* "ekskl. moms" between the amount and its per-year word */
    {"De afledte driftsomkostninger beløber sig til 2.500 kr. ekskl. moms pr. år.",
     "2500 - yearly expense"},
    {"Udgiften på 2,1 mio. kr. i 2025-2027 afholdes inden for rammen.",
     "2100000 2025-2027 expense"},
    {"Taksten hæves fra 650 kr. til 700 kr. pr. time, hvilket giver en merindtægt på "
     "120.000 kr. i 2025.",
     "650 - unit context | 700 - unit context | 120000 2025 saving+income"},
    /* "fra A kr. til B kr.": the levels before and after, not the change */
    {"at beløbsgrænsen for betaling af fakturaer forhøjes fra 5.000 kr. til 40.000 kr.",
     "5000 - context | 40000 - context"},
    {"Effekten er -0,5 mio. kr. i 2025 (negative beløb er besparelser).", "-500000 2025 -"},
    {"Der købes 10 pladser à 350.000 kr. årligt.", "350000 - yearly unit -"},
    {"Der er tale om en engangsudgift på 75.000 kr. i 2025.", "75000 2025 expense"},
    {"Reduktionen svarer til 1.000 kr. pr. elev.", "1000 - unit saving"},
    {"Samlet set koster projektet 3 mio. kr. over fire år.", "3000000 - total expense"},
    {"Besparelsen indarbejdes med 0,4 mio.kr. i budgetåret 2026 og 0,8 mio.kr. i "
     "overslagsårene.",
     "400000 2026 saving | 800000 - saving"},
    {"Nettoudgiften på 1.250 tkr. i 2025, 2026 og 2027 finansieres af puljen.",
     "1250000 2025-2027 expense"},
    {"Der forventes en driftsbesparelse på 220.000 kr. årligt med virkning fra 1. juli 2025.",
     "220000 2025+ yearly saving"},
    {"Omkostningerne beløber sig til 15 mio. DKK i alt.", "15000000 - expense"},
    /* a cue of two words before the amount ("en mindre udgift"), lost income, and a
       price level in words ("(2024 niveau)") */
    {"Ændringen giver et indtægtstab på 40.000 kr. (2024 niveau) og en mindre udgift på "
     "100.000 kr. årligt fra 2026.",
     "40000 - expense | 100000 2026+ yearly saving"},
    /* a range: its midpoint is the amount, carried by its upper end; a ceiling is its
       amount */
    {"Merprisen ligger mellem 40.000 og 55.000 kr. årligt fra 2026.",
     "47500 2026+ yearly range expense"},
    {"Udgiften skønnes til 0,3-0,4 mio. kr. i 2025.",
     "300000 2025 range low expense | 350000 2025 range expense"},
    {"Der er en afledt drift på op til 25.000 kr. om året.", "25000 - yearly range expense"},
    /* the level after a change ("nedsættes til"), not the change */
    {"at tilskuddet til kulturprisen nedsættes til 8.000 kr. fra 2026.",
     "8000 2026+ yearly context"},
    {"Ved færre brugere falder de samlede udgifter til ca. 1,1 mio. kr. årligt.",
     "1100000 - yearly total context"},
    {"Rammen reduceres med 5 pct., svarende til 150.000 kr. i 2025.", "150000 2025 saving"},
    /* a span from a month to a month; a reduction inside a compound word */
    {"Kørsel og forplejning op til 30.000 kr. årligt fra marts 2025 til marts 2027.",
     "30000 2025-2027 yearly range -"},
    {"Forliget giver en årlig rammereduktion på 0,6 mio. kr. fra 2026 og frem.",
     "600000 2026+ yearly saving"},
    /* the year before the first amount covers a later one with a cue of its own */
    {"For budgetåret 2026 betyder det en merudgift på 0,4 mio. kr. mod en mindreudgift til "
     "ydelser på 1,1 mio. kr.",
     "400000 2026 expense | 1100000 2026 saving"},
    {"Lejen udgør i 2026 0,05 mio. kr. og et depositum på 0,06 mio. kr.",
     "50000 2026 - | 60000 - -"},
    /* income (a saving that an income appropriation can match) */
    {"at der gives en indtægtsbevilling på 240.000 kr. i 2025 og en udgiftsbevilling på "
     "240.000 kr. i 2025.",
     "240000 2025 saving+income | 240000 2025 expense"},
};

START_TEST(real_and_invented_sentences)
{
	for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
		const char *got = describe(sentences[i].text);
		ck_assert_msg(!strcmp(got, sentences[i].want),
			      "sentence %zu: \"%s\"\n  want %s\n   got %s", i, sentences[i].text,
			      sentences[i].want, got);
	}
}
END_TEST

/* The sentence an amount stands in is its provenance: the offsets point into the text. */
START_TEST(sentence_offsets)
{
	const char *z = "Økonomi.\nDer er afsat midler. Tiltaget sparer 0,3 mio. kr. i 2025. "
			"Resten står i bilag.\n\tI alt\t2025\nTabelrækker læses ikke: 5 kr. i 2025";
	ib_tamount *a = NULL;
	size_t n = 0;
	ck_assert_int_eq(ib_amounts_read(z, strlen(z), &a, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq((int)a[0].s_len, (int)strlen("Tiltaget sparer 0,3 mio. kr. i 2025."));
	ck_assert(!strncmp(z + a[0].s_at, "Tiltaget sparer 0,3 mio. kr. i 2025.", a[0].s_len));
	ck_assert(!strncmp(z + a[0].at, "0,3 mio. kr.", a[0].len));
	ck_assert_str_eq(a[0].cue_word, "sparer");
	/* a line with a TAB is a table row, left to the table reader */
	ck_assert(!strncmp(z + a[1].s_at, "Tabelrækker", 11));
	free(a);
	/* nothing, and text without amounts */
	ck_assert_int_eq(ib_amounts_read("", 0, &a, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(a);
	ck_assert_int_eq(ib_amounts_read("Ingen beløb i 2025.", 19, &a, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(a);
}
END_TEST

/* The budget a text names: a yearly amount without a year of its own belongs there. */
START_TEST(budget_named)
{
	int last = 0;
	const char *z = "Udvidelsesforslag til Budget 2024-2027 om forlængelse.";
	ck_assert_int_eq(ib_amounts_budget_year(z, strlen(z), 2023, &last), 2024);
	ck_assert_int_eq(last, 2027);
	z = "Indarbejdes i budgetlægningen for 2025.";
	ck_assert_int_eq(ib_amounts_budget_year(z, strlen(z), 2024, &last), 2025);
	ck_assert_int_eq(last, 2025);
	/* a budget before the meeting's year is history */
	z = "Med budget 2021 blev der afsat midler.";
	ck_assert_int_eq(ib_amounts_budget_year(z, strlen(z), 2023, &last), 0);
	ck_assert_int_eq(last, 0);
	ck_assert_int_eq(ib_amounts_budget_year(z, strlen(z), 2021, NULL), 2021);
}
END_TEST

int main(void)
{
	return tu_run_tests("amounts", 0, NULL, NULL,
			    TU_TESTS(real_and_invented_sentences, sentence_offsets, budget_named));
}
