# syntax=docker/dockerfile:1
# Mosaic: build the TypeScript once, ship only what runs it.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY scripts/build-web.ts ./scripts/
# The server (dist/) and the web app (web/dist/, with its size budget checked).
RUN npm run build

FROM node:20-slim AS runtime
# 2 MB semi-spaces (V8's default grows to 16 MB while modules load and never shrinks back):
# idle RSS 112 -> 99 MB, and dead upload chunks are collected sooner; see docs/ARCHITECTURE.md.
ENV NODE_ENV=production \
    MOSAIC_DATA_DIR=/data \
    PORT=8080 \
    NODE_OPTIONS=--max-semi-space-size=2
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. better-sqlite3 and @node-rs/argon2 ship prebuilt binaries for
# linux-x64/arm64 glibc; should none match, install python3, make and g++ here before this line.
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# Non-root; /data is where SQLite lives (mount a volume there, or set DATABASE_URL).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
CMD ["node", "bin/mosaic.js", "serve"]
