# 帮扶助手: the bot, its web dashboard and nightly backups in one container (docs/deploy.md).
# Builder: `npm ci` compiles better-sqlite3 from source, which needs python3, make and g++; the runtime stage has none.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# the bundle npm start runs, made once here (a start only rebuilds when src/ is newer than it)
RUN npm run build

# Runtime: the same Node and glibc as the builder (the compiled module loads), no compiler, not root.
FROM node:20-slim
ENV DATABASE_PATH=/data/bangfu.sqlite \
    BACKUP_DIR=/data/backups \
    PORT=8080
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# the database, its generated secret and the nightly backups live in the volume, owned by the unprivileged user
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 503 when the database does not
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# npm start migrates the database, loads content and builds what it needs; SIGTERM stops it cleanly (exit 0)
CMD ["npm", "start"]
