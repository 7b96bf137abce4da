# The image docker-compose.yml runs (README "Running several processes"); not needed to run or test locally.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY db ./db
RUN pip install --no-cache-dir .
USER nobody
CMD ["photofinish", "run"]
