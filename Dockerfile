# collabnet: a static Go binary on a distroless base.
#   docker build -t collabnet .      (docker compose builds it as service collabnet)
#   docker run --rm collabnet --help

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a change to the code alone reuses the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata: the schedule's cron times work in any TZ without the OS zone files.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags "-s -w" \
        -o /out/collabnet ./cmd/collabnet \
    && mkdir -p /out/reports

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/collabnet /usr/local/bin/collabnet
# An empty /reports owned by the runtime user: a new named volume copies it,
# ownership included, so the job can write its reports there.
COPY --from=build --chown=65532:65532 /out/reports /reports
USER 65532:65532
WORKDIR /reports
ENTRYPOINT ["/usr/local/bin/collabnet"]
CMD ["--help"]
