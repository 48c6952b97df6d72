# `ideabank serve` answers real HTTP requests on loopback and stops on SIGTERM.
"$IB" --db "$SAMPLE" serve --port 0 >serve.log 2>&1 &
pid=$!
i=0
while ! grep -q serving serve.log && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.log)
get() {
	bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "GET %s HTTP/1.0\r\nHost: x\r\n\r\n" "$2" >&3; timeout 5 cat <&3' _ "$port" "$1" | tr -d '\r'
}
get '/api/search?q=zzzyyy' | sed -n '1p; /^{/,$p'
get '/nope' | sed -n '1p; /<p class/p'
get '/forslag?id=abc' | sed -n '1p; /<p class/p'
get '/?aar=20x1' | sed -n '1p; /<p class/p'
kill -TERM $pid
wait $pid
echo "serve exit: $?"
