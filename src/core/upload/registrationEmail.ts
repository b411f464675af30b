// The ABCI Datasets application is an e-mail with the applicant's name, ABCI group, e-mail and the
// URL of the public info.yaml (ABCI user guide, "Publishing Datasets"). This fills in what is
// known from info.yaml and leaves the rest as visible blanks; the recipient is left to the user
// because the guide gives it on the page, not as a fixed address.

export interface RegistrationInput {
  readonly datasetName: string;
  readonly yamlUrl: string;
  readonly applicant?: string;
  readonly group?: string;
  readonly email?: string;
}

export interface RegistrationEmail {
  readonly subject: string;
  readonly body: string;
  /** `mailto:?subject=…&body=…` (RFC 6068 percent-encoding). */
  readonly mailto: string;
}

const blank = (v: string | undefined, what: string): string => (v?.trim() ? v.trim() : `[${what}]`);

export function registrationEmail(input: RegistrationInput): RegistrationEmail {
  const subject = `ABCI Datasets registration: ${input.datasetName}`;
  const body = [
    'Hello,',
    '',
    'I would like to register the following data set in ABCI Datasets.',
    '',
    `Name: ${blank(input.applicant, 'your name')}`,
    `ABCI group: ${blank(input.group, 'your ABCI group')}`,
    `E-mail: ${blank(input.email, 'your e-mail address')}`,
    `URL of the YAML file: ${input.yamlUrl}`,
    '',
    'Best regards,',
    blank(input.applicant, 'your name'),
    '',
  ].join('\n');
  const mailto = `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body.replace(/\n/g, '\r\n'))}`;
  return { subject, body, mailto };
}
