{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names and labels.
*/}}
{{- define "cairn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: "<release>-<chart>", or the release name when it already contains the chart name.
*/}}
{{- define "cairn.fullname" -}}
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
{{- define "cairn.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every resource of the release.
*/}}
{{- define "cairn.commonLabels" -}}
helm.sh/chart: {{ include "cairn.chart" . }}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cairn
{{- end }}

{{/*
Labels of the orchestrator's resources.
*/}}
{{- define "cairn.labels" -}}
{{ include "cairn.commonLabels" . }}
app.kubernetes.io/component: orchestrator
{{- end }}

{{/*
Selector labels of the orchestrator pods. The component keeps the migrations Job's pod out of the selectors.
*/}}
{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: orchestrator
{{- end }}

{{/*
Name of the orchestrator's ServiceAccount.
*/}}
{{- define "cairn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cairn.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference "repository:tag" of the orchestrator; the tag defaults to the chart's appVersion.
*/}}
{{- define "cairn.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/*
Image reference of the migrations Job.
*/}}
{{- define "cairn.migrationsImage" -}}
{{- printf "%s:%s" .Values.migrations.image.repository (default .Chart.AppVersion .Values.migrations.image.tag | toString) }}
{{- end }}

{{/*
Environment variables of the PostgreSQL connection, read from the existing Secret.
Call with a dict: "root" (the chart context) and "prefix" ("SPRING_DATASOURCE" for the orchestrator,
"FLYWAY" for the migrations Job, whose user name variable is FLYWAY_USER).
*/}}
{{- define "cairn.datasourceEnv" -}}
{{- $db := .root.Values.database }}
{{- $user := ternary "FLYWAY_USER" "SPRING_DATASOURCE_USERNAME" (eq .prefix "FLYWAY") }}
- name: {{ .prefix }}_URL
{{- if $db.url }}
  value: {{ $db.url | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.secretKeys.url }}
{{- end }}
- name: {{ $user }}
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.secretKeys.username }}
- name: {{ .prefix }}_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.secretKeys.password }}
{{- end }}

{{/*
Environment variables of the API tokens: cairn.security.tokens[i].name/.secret/.roles. All parts of the list
come from the environment, because Spring Boot binds a list from one property source only.
*/}}
{{- define "cairn.tokensEnv" -}}
{{- range $i, $t := .Values.security.tokens }}
- name: CAIRN_SECURITY_TOKENS_{{ $i }}_NAME
  value: {{ $t.name | quote }}
- name: CAIRN_SECURITY_TOKENS_{{ $i }}_SECRET
{{- if get $t "secretHash" }}
  value: {{ get $t "secretHash" | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ get $t "existingSecret" }}
      key: {{ get $t "secretKey" }}
{{- end }}
- name: CAIRN_SECURITY_TOKENS_{{ $i }}_ROLES
  value: {{ join "," $t.roles | quote }}
{{- end }}
{{- end }}

{{/*
Pod scheduling: node selector, tolerations, affinity (or the anti-affinity preset) and topology spread.
*/}}
{{- define "cairn.scheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .Values.affinity }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- else if eq .Values.podAntiAffinity "soft" }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "cairn.selectorLabels" . | nindent 14 }}
{{- else if eq .Values.podAntiAffinity "hard" }}
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "cairn.selectorLabels" . | nindent 12 }}
{{- end }}
{{- if .Values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml .Values.topologySpreadConstraints | nindent 2 }}
{{- else if .Values.topologySpread.enabled }}
topologySpreadConstraints:
{{- range .Values.topologySpread.topologyKeys }}
  - maxSkew: {{ $.Values.topologySpread.maxSkew }}
    topologyKey: {{ . }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "cairn.selectorLabels" $ | nindent 8 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Refuses values that cannot work, with a message that says what to change. Included by every template, so
any rendering (install, upgrade, template, lint) stops on them.
*/}}
{{- define "cairn.validate" -}}
{{- $v := .Values }}
{{- if not $v.database.existingSecret }}
{{- fail "database.existingSecret is required: name an existing Secret that holds the PostgreSQL JDBC url, username and password (keys set by database.secretKeys). The chart never stores database credentials." }}
{{- end }}
{{- if lt (int $v.replicaCount) 1 }}
{{- fail (printf "replicaCount must be at least 1 (got %v)." $v.replicaCount) }}
{{- end }}
{{- if eq (int $v.containerPorts.http) (int $v.containerPorts.management) }}
{{- fail (printf "containerPorts.http and containerPorts.management must differ (both are %v): the actuator runs on its own port." $v.containerPorts.http) }}
{{- end }}
{{- if and $v.migrations.enabled (not $v.migrations.image.repository) }}
{{- fail "migrations.enabled is true but migrations.image.repository is empty: set the Flyway migrations image, or set migrations.enabled=false to let the orchestrator migrate at start." }}
{{- end }}
{{- if $v.autoscaling.enabled }}
{{- if lt (int $v.autoscaling.minReplicas) 1 }}
{{- fail (printf "autoscaling.minReplicas must be at least 1 (got %v)." $v.autoscaling.minReplicas) }}
{{- end }}
{{- if gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%v) must not be greater than autoscaling.maxReplicas (%v)." $v.autoscaling.minReplicas $v.autoscaling.maxReplicas) }}
{{- end }}
{{- if and (not $v.autoscaling.targetCPUUtilizationPercentage) (not $v.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "autoscaling.enabled needs autoscaling.targetCPUUtilizationPercentage or autoscaling.targetMemoryUtilizationPercentage." }}
{{- end }}
{{- end }}
{{- if and $v.podDisruptionBudget.enabled (not (kindIs "invalid" $v.podDisruptionBudget.minAvailable)) (ne (toString $v.podDisruptionBudget.minAvailable) "") (not (kindIs "invalid" $v.podDisruptionBudget.maxUnavailable)) (ne (toString $v.podDisruptionBudget.maxUnavailable) "") }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to \"\")." }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.ingress.hosts) }}
{{- fail "ingress.enabled needs at least one entry in ingress.hosts." }}
{{- end }}
{{- if not (has $v.podAntiAffinity (list "soft" "hard" "none")) }}
{{- fail (printf "podAntiAffinity must be soft, hard or none (got %v)." $v.podAntiAffinity) }}
{{- end }}
{{- if not $v.security.tokens }}
{{- fail "security.tokens is empty: the orchestrator refuses to start without API tokens. Add at least one token with roles (see values.yaml)." }}
{{- end }}
{{- $known := list "admin" "client" "worker" "read" }}
{{- $names := list }}
{{- range $i, $t := $v.security.tokens }}
{{- $name := get $t "name" }}
{{- if not $name }}
{{- fail (printf "security.tokens[%d] needs a name." $i) }}
{{- end }}
{{- if has $name $names }}
{{- fail (printf "security.tokens[%d]: the name %q is used twice; token names must be unique." $i $name) }}
{{- end }}
{{- $names = append $names $name }}
{{- $roles := get $t "roles" }}
{{- if not $roles }}
{{- fail (printf "security.tokens[%d] (%s) has no roles: give it at least one of admin, client, worker, read." $i $name) }}
{{- end }}
{{- range $roles }}
{{- if not (has . $known) }}
{{- fail (printf "security.tokens[%d] (%s) has the unknown role %q: roles are admin, client, worker, read." $i $name .) }}
{{- end }}
{{- end }}
{{- $hash := get $t "secretHash" }}
{{- $secret := get $t "existingSecret" }}
{{- if and $hash $secret }}
{{- fail (printf "security.tokens[%d] (%s): set secretHash or existingSecret, not both." $i $name) }}
{{- end }}
{{- if and (not $hash) (not $secret) }}
{{- fail (printf "security.tokens[%d] (%s) needs existingSecret and secretKey (a Secret holding \"{sha256}<hex>\") or secretHash." $i $name) }}
{{- end }}
{{- if and $secret (not (get $t "secretKey")) }}
{{- fail (printf "security.tokens[%d] (%s) names existingSecret %s but no secretKey." $i $name $secret) }}
{{- end }}
{{- if and $hash (not (regexMatch "^\\{sha256\\}[0-9a-f]{64}$" $hash)) }}
{{- fail (printf "security.tokens[%d] (%s): secretHash must be \"{sha256}\" followed by 64 lowercase hex digits (the SHA-256 of the token), never the token itself." $i $name) }}
{{- end }}
{{- end }}
{{- end }}
