# `ideabank serve` answers real HTTP requests on loopback and stops on SIGTERM: exact
# JSON of the API (the same numbers as the CLI's --json), errors in Danish or English
# by Accept-Language, the server's limits and headers.
# the log exists before the server writes to it: the wait below reads it at once
: >serve.log
"$IB" --db "$SAMPLE" serve --port 0 >serve.log 2>&1 &
pid=$!
i=0
while ! grep -q serving serve.log && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.log)
# request METHOD PATH [HEADER]: the raw answer, CRs removed
request() {
	bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "%s %s HTTP/1.0\r\nHost: x\r\n%s\r\n" "$2" "$3" "$4" >&3; timeout 5 cat <&3' _ "$port" "$1" "$2" "${3:+$3
}" | tr -d '\r'
}
get() { request GET "$@"; }
body() { get "$@" | sed '1,/^$/d'; }
get '/api/search?q=zzzyyy' | sed -n '1p; /^{/,$p'
echo "--- a second server on the same port says why it cannot listen"
"$IB" --db "$SAMPLE" serve --port "$port" >second.log 2>&1
echo "exit $?"
sed "s/:$port:/:PORT:/" second.log
echo "--- search robot for Ringsted, page 1"
body '/api/search?q=robot&for=Ringsted'
echo "--- the same numbers as search --json --for"
body '/api/search?q=robot&for=Ringsted' | grep -E '"(id|effect_kr|effect_per_inhabitant_kr|projected_kr)"' >web.txt
"$IB" --db "$SAMPLE" search robot --for Ringsted --json | grep -E '"(id|effect_kr|effect_per_inhabitant_kr|projected_kr)"' >cli.txt
cmp -s web.txt cli.txt && echo "api = cli: $(wc -l <web.txt) figures"
echo "--- the population figure that scales, with its own source"
body '/kurv?kurv=8&for=Ringsted' | grep -o 'indbyggere ([0-9]*; [^)]*)'
body '/api/peers?kommune=Ringsted&omraade=%C3%86ldre+og+sundhed' >web.json
"$IB" --db "$SAMPLE" peers Ringsted --area 'Ældre og sundhed' --json >cli.json
cmp -s web.json cli.json && echo "api/peers = peers --json: $(wc -l <web.json) lines"
body '/api/proposal/8' >web.json
"$IB" --db "$SAMPLE" show 8 --json >cli.json
cmp -s web.json cli.json && echo "api/proposal/8 = show 8 --json"
web=$(body '/api/search?folketal=100.000..&effekt=1.000.000..' | grep -c '"id"')
cli=$("$IB" --db "$SAMPLE" search --population 100.000.. --effect 1.000.000.. --json | grep -c '"id"')
echo "folketal 100.000.. and effekt 1.000.000..: $web on the web, $cli in the CLI"
body '/api/municipalities' | sed -n '1,12p'
echo "--- errors"
get '/api/search?aar=20x1' 'Accept-Language: en-GB,en;q=0.9' | sed -n '1p; /^{/,$p'
get '/api/search?aar=20x1' 'Accept-Language: da' | sed -n '/^{/,$p'
body '/api/search?kommune=Ringsteed'
body '/api/peers?kommune=Ringsted&funktion=x'
body '/api/proposal/99999'
get '/nope' | sed -n '1p; /<p class="err"/p'
get '/forslag?id=abc' | sed -n '1p; /<p class="err"/p'
get '/?aar=20x1' | sed -n '1p; /<p class="err"/p'
echo "--- a basket id out of range is refused, not read as 9223372036854775807"
body '/kurv?kurv=99999999999999999999,8' | grep -o 'Valgte forslag: [^<]*\|[0-9]* forslag</strong>'
get '/?aar=2021-2024&q=robot' | sed -n '1p; /id="resultater"/p' | sed 's/<a href.*//'
get "/?q=$(printf 'og+%.0s' $(seq 1 400))" | sed -n '1p; /<p class="err"/p'
get "/?$(seq -s '&' 1 470 | sed 's/\([0-9]*\)/a\1=1/g')" | sed -n '1p; /<p class="err"/p'
echo "--- headers"
get '/' | grep -E '^(HTTP|Content-Type|X-Frame|Referrer|Content-Security|X-Content)'
request POST '/' | grep -E '^(HTTP|Allow|Content-Type)'
kill -TERM $pid
wait $pid
echo "serve exit: $?"
