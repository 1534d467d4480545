/** What "new template" opens with: a small valid template to edit (see templates/builtin/*.yaml for complete ones). */
export const STARTER_TEMPLATE = `key: my-campaign
name: 新的专项工作
referenceYear: 2026
timeZone: Asia/Shanghai
defaults:
  review: office
  reminders: [P3D, P1D]
  escalation:
    - { after: PT0S, to: unit }
    - { after: P3D, to: parent }
    - { after: P7D, to: office, bulletin: true }
stages:
  - key: study
    title: 学习调研
    window: { opens: { after: PT0S }, closes: { after: P30D } }
    steps:
      - key: study-plan
        title: 学习计划
        due: { after: P10D }
        deliverables:
          - { key: plan, kind: report, title: 学习计划 }
`;
