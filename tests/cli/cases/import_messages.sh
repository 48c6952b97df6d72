# What import says about inputs it cannot use (issue 22, F9), each once wrong:
# - a saved committee list (udvalgsliste.json) in a folder of agenda answers failed the
#   import with 'not an agenda meeting': now skipped and said
# - a truncated .json.gz got 'not an agenda meeting' too: now 'truncated gzip file'
# - a damaged .pdf exited 4 (file error), a damaged .txt 3: both are bad input, 3
# - an encrypted PDF was 'pdftotext failed (exit 1): not a readable PDF'
g="$SHARED/data/greve-agendas"
mkdir ag
cp "$g/udvalgsliste.json" ag/
cp "$g/dagsorden/0023960e-eb32-477e-9a7f-711a3d5b06b4.json.gz" ag/
"$IB" --db "$SAMPLE" import --kommune Greve ag | grep -v '^import: skipped  '
echo "exit $?"
head -c 3000 "$g/dagsorden/0023960e-eb32-477e-9a7f-711a3d5b06b4.json.gz" >cut.json.gz
"$IB" --db "$SAMPLE" import --kommune Greve cut.json.gz
echo "cut.json.gz: exit $?"
printf '%%PDF-1.4\ngarbage\n' >damaged.pdf
"$IB" --db "$SAMPLE" import damaged.pdf
echo "damaged.pdf: exit $?"
printf 'binary\000\001\n' >damaged.txt
"$IB" --db "$SAMPLE" import damaged.txt
echo "damaged.txt: exit $?"
cp "$DATA/../tests/fixtures/encrypted.pdf" .
"$IB" --db "$SAMPLE" import encrypted.pdf
echo "encrypted.pdf: exit $?"
