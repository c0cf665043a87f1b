{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names and labels.
*/}}
{{- define "cairn-worker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: "<release>-<chart>", or the release name when it already contains the chart name.
*/}}
{{- define "cairn-worker.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "cairn-worker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource of the release.
*/}}
{{- define "cairn-worker.labels" -}}
helm.sh/chart: {{ include "cairn-worker.chart" . }}
{{ include "cairn-worker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cairn
{{- end }}

{{/*
Selector labels of the worker pods.
*/}}
{{- define "cairn-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn-worker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: worker
{{- end }}

{{/*
Name of the worker's ServiceAccount.
*/}}
{{- define "cairn-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cairn-worker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference "repository:tag"; the tag defaults to the chart's appVersion.
*/}}
{{- define "cairn-worker.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/*
Refuses values that cannot work, with a message that says what to change.
*/}}
{{- define "cairn-worker.validate" -}}
{{- $v := .Values }}
{{- if not $v.image.repository }}
{{- fail "image.repository is required: the worker app's image." }}
{{- end }}
{{- if not $v.token.existingSecret }}
{{- fail "token.existingSecret is required: name an existing Secret holding the worker's bearer token (the orchestrator has its {sha256} hash with role worker). The chart never stores tokens." }}
{{- end }}
{{- if not $v.token.secretKey }}
{{- fail "token.secretKey is required: the key of the token in token.existingSecret." }}
{{- end }}
{{- if not (regexMatch "^https?://[^/]+" (toString $v.orchestrator.url)) }}
{{- fail (printf "orchestrator.url must be the orchestrator's base URL, http(s)://host:port (got %q)." (toString $v.orchestrator.url)) }}
{{- end }}
{{- if lt (int $v.replicaCount) 1 }}
{{- fail (printf "replicaCount must be at least 1 (got %v)." $v.replicaCount) }}
{{- end }}
{{- if lt (int $v.worker.maxConcurrency) 1 }}
{{- fail (printf "worker.maxConcurrency must be at least 1 (got %v)." $v.worker.maxConcurrency) }}
{{- end }}
{{- if eq (int $v.containerPorts.http) (int $v.containerPorts.management) }}
{{- fail (printf "containerPorts.http and containerPorts.management must differ (both are %v)." $v.containerPorts.http) }}
{{- end }}
{{- if not (has $v.worker.advertisedScheme (list "http" "https")) }}
{{- fail (printf "worker.advertisedScheme must be http or https (got %v)." $v.worker.advertisedScheme) }}
{{- end }}
{{- if not (has $v.podAntiAffinity (list "soft" "hard" "none")) }}
{{- fail (printf "podAntiAffinity must be soft, hard or none (got %v)." $v.podAntiAffinity) }}
{{- end }}
{{- end }}
